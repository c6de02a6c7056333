package dev.bpfstream.broker.junit;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need something of the machine (root, BPF, a tool) call {@link #require}. Where it is
 * missing the test is skipped with the reason, unless {@code BPFSTREAM_REQUIRE_ALL=1} (set by
 * {@code .ci/run}): then it fails, so CI can never pass by skipping.
 */
public final class Prerequisites {
  public static final String REQUIRE_ALL = "BPFSTREAM_REQUIRE_ALL";

  private Prerequisites() {
  }

  /** @param missingReason null when the prerequisite holds, else why it does not */
  public static void require(String missingReason) {
    if (missingReason == null) {
      return;
    }
    if ("1".equals(System.getenv(REQUIRE_ALL)) || "true".equals(System.getenv(REQUIRE_ALL))) {
      throw new AssertionError("prerequisite missing and " + REQUIRE_ALL + " is set: " + missingReason);
    }
    Assumptions.abort("skipped: " + missingReason);
  }

  public static String rootMissing() {
    return "root".equals(System.getProperty("user.name")) ? null : "needs root (or CAP_BPF+CAP_PERFMON); run as root";
  }
}
