package dev.bpfstream.broker.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Writes each test class (or test) that did not run, and why, to the file named by the
 * {@value #FILE_PROPERTY} system property (the parent pom points it at {@code target/not-run.txt}).
 * Registered through {@code META-INF/services}, so every module with this module on its test
 * classpath is watched. It sees what Surefire's counts hide: a class that aborts in
 * {@code @BeforeAll} counts "0 run, 0 skipped" there. {@link NotRunSummary} prints the files.
 */
public final class NotRunListener implements TestExecutionListener {
  public static final String FILE_PROPERTY = "bpfstream.notRunFile";

  private final Path file;

  /** The ServiceLoader's constructor: the file of {@value #FILE_PROPERTY}, or nothing when unset (an IDE run). */
  public NotRunListener() {
    this(System.getProperty(FILE_PROPERTY) == null ? null : Path.of(System.getProperty(FILE_PROPERTY)));
  }

  public NotRunListener(Path file) {
    this.file = file;
  }

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    record(NotRun.Kind.DISABLED, test, reason);
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      record(NotRun.Kind.ABORTED, test, result.getThrowable().map(Throwable::getMessage).orElse(null));
    }
  }

  private void record(NotRun.Kind kind, TestIdentifier test, String reason) {
    if (file == null) {
      return;
    }
    String name = test.getSource().map(NotRunListener::name).orElse(test.getDisplayName());
    // One append per line, so several test JVMs of one module can share the file.
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, new NotRun(kind, name, reason == null ? "no reason given" : reason).line() + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String name(TestSource source) {
    if (source instanceof MethodSource m) {
      return m.getClassName() + "#" + m.getMethodName();
    }
    if (source instanceof ClassSource c) {
      return c.getClassName();
    }
    return source.toString();
  }
}
