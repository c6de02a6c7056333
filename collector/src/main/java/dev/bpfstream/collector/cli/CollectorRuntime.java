package dev.bpfstream.collector.cli;

import java.time.Duration;

import dev.bpfstream.collector.Collector;
import dev.bpfstream.collector.CollectorConfig;
import dev.bpfstream.collector.sink.EventSink;

/** Wires a collector with its companions (namespace inventory, cgroup resolver) for the CLI and the standalone stack. */
public final class CollectorRuntime {
  private CollectorRuntime() {
  }

  public static Collector start(CollectorConfig config, EventSink sink, Duration scanInterval) {
    return Collector.start(config, sink);
  }
}
