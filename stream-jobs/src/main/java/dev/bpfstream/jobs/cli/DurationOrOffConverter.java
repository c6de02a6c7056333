package dev.bpfstream.jobs.cli;

import java.time.Duration;

import picocli.CommandLine;

/** A limit written as a duration (see {@link DurationConverter}), or {@code off} / {@code 0} for none: {@link Duration#ZERO}. */
public final class DurationOrOffConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim();
    if (v.equalsIgnoreCase("off") || v.equals("0")) {
      return Duration.ZERO;
    }
    Duration d = new DurationConverter().convert(v);
    if (d.isNegative()) {
      throw new CommandLine.TypeConversionException("'" + value + "' is negative: write e.g. 5m, or off for no limit");
    }
    return d;
  }
}
