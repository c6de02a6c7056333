package dev.bpfstream.jobs;

import java.time.Duration;

import dev.bpfstream.jobs.alert.rule.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Command-line durations as in rules files: 500ms, 10s, 5m. */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    long ns = Durations.parseNanos(value);
    if (ns <= 0) {
      throw new TypeConversionException("'" + value + "' is not a duration; write it with a unit, e.g. 500ms, 10s, 5m");
    }
    return Duration.ofNanos(ns);
  }
}
