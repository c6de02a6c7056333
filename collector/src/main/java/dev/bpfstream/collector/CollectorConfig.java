package dev.bpfstream.collector;

import java.time.Duration;
import java.util.List;

import dev.bpfstream.collector.enrich.Redactor;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.ProbeSettings;
import dev.bpfstream.collector.probes.ProbeCatalog;

/**
 * What one collector runs.
 *
 * @param probes         probe names (see ProbeCatalog)
 * @param hostId         null: /etc/machine-id
 * @param interval       health reports, histogram drains and clock re-measurement
 * @param scanInterval   full /proc namespace scans (lifecycle events add namespaces in between)
 * @param settings       the probes' rings and their readers
 * @param options        the probes' own options (`--probe-option NAME.KEY=VALUE`)
 * @param redactor       what is masked in argv, paths and shell lines
 * @param metricsPort    Prometheus endpoint port, 0 for none, -1 for any free port
 * @param hostMetrics    sample the host's USE metrics from /proc and /sys every interval (host.metrics)
 * @param metricsToken   bearer token the metrics endpoint requires (Authorization: Bearer ...), null for none
 * @param metricsBind    the address the metrics endpoint listens on (127.0.0.1 unless told)
 */
public record CollectorConfig(List<String> probes, String hostId, Duration interval, Duration scanInterval,
                              ProbeSettings settings, ProbeOptions options, Redactor redactor, int metricsPort,
                              boolean hostMetrics, String metricsToken, String metricsBind) {
  public static final String LOOPBACK = "127.0.0.1";

  public CollectorConfig(List<String> probes, String hostId, Duration interval, Duration scanInterval,
                         ProbeSettings settings, ProbeOptions options, Redactor redactor, int metricsPort, boolean hostMetrics) {
    this(probes, hostId, interval, scanInterval, settings, options, redactor, metricsPort, hostMetrics, null, LOOPBACK);
  }

  public CollectorConfig(List<String> probes, String hostId, Duration interval, Duration scanInterval,
                         ProbeSettings settings, ProbeOptions options, Redactor redactor, int metricsPort, boolean hostMetrics,
                         String metricsToken) {
    this(probes, hostId, interval, scanInterval, settings, options, redactor, metricsPort, hostMetrics, metricsToken, LOOPBACK);
  }

  public CollectorConfig withMetricsBind(String address) {
    return new CollectorConfig(probes, hostId, interval, scanInterval, settings, options, redactor, metricsPort, hostMetrics, metricsToken, address);
  }

  public static CollectorConfig defaults(List<String> probes) {
    return new CollectorConfig(probes, null, Duration.ofSeconds(10), Duration.ofSeconds(30), ProbeSettings.defaults(),
        ProbeOptions.none(), Redactor.defaults(), 0, true);
  }

  public CollectorConfig withInterval(Duration d) {
    return new CollectorConfig(probes, hostId, d, scanInterval, settings, options, redactor, metricsPort, hostMetrics, metricsToken, metricsBind);
  }

  public CollectorConfig withScanInterval(Duration d) {
    return new CollectorConfig(probes, hostId, interval, d, settings, options, redactor, metricsPort, hostMetrics, metricsToken, metricsBind);
  }

  public CollectorConfig withSettings(ProbeSettings s) {
    return new CollectorConfig(probes, hostId, interval, scanInterval, s, options, redactor, metricsPort, hostMetrics, metricsToken, metricsBind);
  }

  public CollectorConfig withHostId(String id) {
    return new CollectorConfig(probes, id, interval, scanInterval, settings, options, redactor, metricsPort, hostMetrics, metricsToken, metricsBind);
  }

  public CollectorConfig withMetricsPort(int port) {
    return new CollectorConfig(probes, hostId, interval, scanInterval, settings, options, redactor, port, hostMetrics, metricsToken, metricsBind);
  }

  public CollectorConfig withMetricsToken(String token) {
    return new CollectorConfig(probes, hostId, interval, scanInterval, settings, options, redactor, metricsPort, hostMetrics, token, metricsBind);
  }

  public CollectorConfig withHostMetrics(boolean on) {
    return new CollectorConfig(probes, hostId, interval, scanInterval, settings, options, redactor, metricsPort, on, metricsToken, metricsBind);
  }
}
