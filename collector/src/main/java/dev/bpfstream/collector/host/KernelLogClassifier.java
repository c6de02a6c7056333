package dev.bpfstream.collector.host;

import java.util.regex.Pattern;

/**
 * Sorts /dev/kmsg records into the kinds a host report counts. A record is
 * "PRIO,SEQ,USEC,FLAGS[,...];message" (continuation lines " KEY=value" follow); PRIO is
 * facility * 8 + level. Kept: the known trouble patterns at any level (a segfault is logged at
 * info) and anything else at level err (3) or worse.
 */
public final class KernelLogClassifier {
  public static final String OOM_KILL = "OOM_KILL";
  public static final String HUNG_TASK = "HUNG_TASK";
  public static final String IO_ERROR = "IO_ERROR";
  public static final String SEGFAULT = "SEGFAULT";
  public static final String OTHER = "OTHER";

  private static final Pattern OOM = Pattern.compile("(?i)out of memory.*killed process");
  private static final Pattern HUNG = Pattern.compile("blocked for more than \\d+ seconds");
  private static final Pattern IO = Pattern.compile("I/O error|critical (?:medium|target) error|EXT4-fs error|XFS \\(.*\\): .*error");
  private static final Pattern FAULT = Pattern.compile("segfault at |general protection fault|traps: .* trap ");

  /** One parsed record. */
  public record Line(long seq, int level, String kind, String message) {
  }

  private KernelLogClassifier() {
  }

  /** Parses a raw record; null when it is malformed. {@code kind} null: not worth reporting. */
  public static Line parse(String record) {
    int semi = record.indexOf(';');
    if (semi < 0) {
      return null;
    }
    String[] head = record.substring(0, semi).split(",");
    if (head.length < 3) {
      return null;
    }
    int prio;
    long seq;
    try {
      prio = Integer.parseInt(head[0]);
      seq = Long.parseLong(head[1]);
    } catch (NumberFormatException e) {
      return null;
    }
    int nl = record.indexOf('\n', semi);
    String message = record.substring(semi + 1, nl < 0 ? record.length() : nl);
    int level = prio & 7;
    return new Line(seq, level, kindOf(level, message), message);
  }

  static String kindOf(int level, String message) {
    if (OOM.matcher(message).find()) {
      return OOM_KILL;
    }
    if (HUNG.matcher(message).find()) {
      return HUNG_TASK;
    }
    if (IO.matcher(message).find()) {
      return IO_ERROR;
    }
    if (FAULT.matcher(message).find()) {
      return SEGFAULT;
    }
    return level <= 3 ? OTHER : null;
  }
}
