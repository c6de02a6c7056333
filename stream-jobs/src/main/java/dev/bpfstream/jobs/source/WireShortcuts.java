package dev.bpfstream.jobs.source;

/**
 * Fingerprints of the writer schemas whose layout the decoders' shortcuts read field by field
 * (this release's versions, recorded in schemas' history). A record of any other version, such as
 * one from a newer collector, goes through the full decoder; a schema change that does not update
 * the shortcuts thus costs speed, never correctness ({@code WireShortcutsTest} fails until they follow).
 */
public final class WireShortcuts {
  public static final long BLOCK_IO = 0xEB65D3CC0EC8631EL;
  public static final long FILE_SLOW = 0x0BA68620983538E0L;
  public static final long TCP = 0x41793FD0E599C21CL;
  public static final long EXEC = 0x0C8FA4EC00DB96D2L;
  public static final long EXIT = 0xC18610E2A5B20EADL;
  public static final long OPEN = 0xDD14AB7A7046D680L;
  public static final long PROFILE = 0xBF4650BB26870BBCL;

  private WireShortcuts() {
  }
}
