package dev.bpfstream.options;

import java.time.Duration;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A duration option that must be above zero, in the one syntax of {@link Durations}: 500ms, 10s, 5m, PT10S. */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    Duration d = DurationOrOffConverter.parse(value);
    if (d.isZero()) {
      throw new TypeConversionException(Durations.quote(value) + " must be above zero, e.g. 10s, 500ms, 5m");
    }
    return d;
  }
}
