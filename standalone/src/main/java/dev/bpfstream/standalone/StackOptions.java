package dev.bpfstream.standalone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.bpfstream.options.LocalStack;

/**
 * What `bpfstream up` runs.
 *
 * @param dataDir     broker logs, Flink checkpoints and the log file live below it
 * @param kafkaPort   the broker's port on 127.0.0.1 (0: any free one)
 * @param window      the jobs' window, and how often the view refreshes
 * @param probes      collector probes
 * @param json        stream summaries as JSON lines instead of the terminal view
 * @param metricsPort the collector's Prometheus endpoint (0: off)
 * @param rules       alert rules file, null for the built-in rules (conf/rules.yaml)
 * @param consolePort the web console on 127.0.0.1 (0: off; -1: any free port)
 * @param ringBytes   every probe's BPF ring (0: each probe's own default)
 */
public record StackOptions(Path dataDir, int kafkaPort, Duration window, List<String> probes, boolean json,
                           int metricsPort, Path rules, int consolePort, int ringBytes) {

  public static Path defaultDataDir() {
    return LocalStack.defaultDataDir();
  }
}
