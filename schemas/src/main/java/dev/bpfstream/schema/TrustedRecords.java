package dev.bpfstream.schema;

import java.lang.reflect.Method;

import org.apache.avro.SystemLimitException;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Process-wide Avro settings every reader of our records needs, installed once by the classes that
 * read records:
 * <ul>
 *   <li>Avro 1.12 refuses to instantiate classes it does not trust: our generated records are added
 *       to whatever the JVM already trusts.</li>
 *   <li>A corrupt length prefix must be rejected, not allocated: strings, bytes and collections get
 *       bounds far above any real record (operators can still choose others by system property).</li>
 * </ul>
 */
public final class TrustedRecords {
  private static final String PACKAGE = "dev.bpfstream.event.";
  private static volatile boolean installed;

  private TrustedRecords() {
  }

  public static void install() {
    if (installed) {
      return;
    }
    synchronized (TrustedRecords.class) {
      if (!installed) {
        ClassSecurityValidator.ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(before, c -> c.getName().startsWith(PACKAGE)));
        limit(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, 4 << 20);
        limit(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, 16 << 20);
        limit(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, 1 << 20);
        rereadLimits();
        installed = true;
      }
    }
  }

  private static void limit(String property, int value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, String.valueOf(value));
    }
  }

  /** Avro reads the limits when SystemLimitException is first loaded; make it read them again. */
  private static void rereadLimits() {
    try {
      Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
      reset.setAccessible(true);
      reset.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Limits already loaded stay in force; the -D flags in our launch scripts set them too.
      org.slf4j.LoggerFactory.getLogger(TrustedRecords.class).warn("could not apply Avro size limits: {}", e.toString());
    }
  }
}
