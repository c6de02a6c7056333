package dev.bpfstream.options;

import java.time.Duration;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A limit that can be turned off: a duration in the syntax of {@link Durations}, or {@code off}
 * (or {@code 0}) for none, read as {@link Duration#ZERO}.
 */
public final class DurationOrOffConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return value.strip().equalsIgnoreCase("off") ? Duration.ZERO : parse(value);
  }

  static Duration parse(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
