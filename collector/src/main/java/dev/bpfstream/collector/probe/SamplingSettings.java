package dev.bpfstream.collector.probe;

import java.util.List;

/**
 * Settings of the sampling probes and of the shell probe.
 *
 * @param profileHz     CPU samples per second per CPU for the profile probe (BCC profile's 49 by default)
 * @param runqlenHz     run-queue length samples per second per CPU (BCC runqlen's 99)
 * @param shellBinaries bash binaries whose readline() is traced; bash binaries of other mount
 *                      namespaces (containers) are found at run time and added
 */
public record SamplingSettings(int profileHz, int runqlenHz, List<String> shellBinaries) {
  public static final int MAX_HZ = 10_000;

  public SamplingSettings {
    if (profileHz < 1 || profileHz > MAX_HZ || runqlenHz < 1 || runqlenHz > MAX_HZ) {
      throw new IllegalArgumentException("sampling rates must be between 1 and " + MAX_HZ + " Hz, not "
          + profileHz + " (profile) and " + runqlenHz + " (runqlen)");
    }
    shellBinaries = List.copyOf(shellBinaries);
  }

  public static SamplingSettings defaults() {
    return new SamplingSettings(49, 99, List.of("/bin/bash"));
  }

  public SamplingSettings withProfileHz(int hz) {
    return new SamplingSettings(hz, runqlenHz, shellBinaries);
  }

  public SamplingSettings withRunqlenHz(int hz) {
    return new SamplingSettings(profileHz, hz, shellBinaries);
  }

  public SamplingSettings withShellBinaries(List<String> paths) {
    return new SamplingSettings(profileHz, runqlenHz, paths);
  }
}
