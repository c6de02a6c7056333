package dev.bpfstream.collector.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/** "4096", "64K", "4M", "1G" as bytes. */
public final class ByteSizes implements CommandLine.ITypeConverter<Integer> {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)([KMG])?i?B?", Pattern.CASE_INSENSITIVE);

  @Override
  public Integer convert(String value) {
    Matcher m = FORMAT.matcher(value.trim());
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a size: use e.g. 65536, 64K, 4M");
    }
    // At most 10 digits: anything longer is too large anyway, and the shift below cannot overflow.
    String digits = m.group(1).replaceFirst("^0+(?=\\d)", "");
    long n = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
    if (m.group(2) != null && n <= Integer.MAX_VALUE) {
      n <<= switch (Character.toUpperCase(m.group(2).charAt(0))) {
        case 'K' -> 10;
        case 'M' -> 20;
        default -> 30;
      };
    }
    if (n > Integer.MAX_VALUE) {
      throw new CommandLine.TypeConversionException(value + " is too large");
    }
    return (int) n;
  }
}
