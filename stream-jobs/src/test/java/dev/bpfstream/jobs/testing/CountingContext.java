package dev.bpfstream.jobs.testing;

import java.util.HashMap;
import java.util.Map;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.UserCodeClassLoader;

/** What a deserializer's open() gets, outside a job: its counters can be read back by name. */
public final class CountingContext implements DeserializationSchema.InitializationContext {
  private final Map<String, SimpleCounter> counters = new HashMap<>();

  @Override
  public MetricGroup getMetricGroup() {
    return new UnregisteredMetricsGroup() {
      @Override
      public Counter counter(String name) {
        return counters.computeIfAbsent(name, n -> new SimpleCounter());
      }
    };
  }

  @Override
  public UserCodeClassLoader getUserCodeClassLoader() {
    return null;
  }

  /** The counter's count; 0 for one never registered. */
  public long count(String name) {
    SimpleCounter c = counters.get(name);
    return c == null ? 0 : c.getCount();
  }
}
