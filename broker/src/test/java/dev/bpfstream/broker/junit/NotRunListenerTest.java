package dev.bpfstream.broker.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** Runs small test classes on a JUnit Platform launcher of its own and reads what the listener wrote. */
class NotRunListenerTest {
  static final String MISSING = "needs frobnicate (Debian package frobnicator)";

  /** A class whose prerequisite is missing: it aborts in @BeforeAll, and no test of it runs. */
  static class MissingTool {
    @BeforeAll
    static void tool() {
      Prerequisites.require(MISSING, false);
    }

    @Test
    void usesTheTool() {
    }
  }

  /** The same class under BPFSTREAM_REQUIRE_ALL. */
  static class MissingToolUnderRequireAll {
    @BeforeAll
    static void tool() {
      Prerequisites.require(MISSING, true);
    }

    @Test
    void usesTheTool() {
    }
  }

  static class OptInSoak {
    @Test
    void runs() {
    }

    @Test
    @EnabledIfSystemProperty(named = "bpfstream.no-such-soak", matches = "true")
    void soak() {
    }
  }

  @Test
  void aClassWhosePrerequisiteIsMissingIsListedAtTheEndWithTheFixAndFailsTheBuildUnderRequireAll(@TempDir Path root)
      throws Exception {
    Path module = project(root, "probes");
    run(module.resolve("target/not-run.txt"), MissingTool.class);

    List<NotRunSummary.Module> modules = NotRunSummary.read(root);
    assertThat(modules).singleElement().satisfies(m -> assertThat(m.notRun()).containsExactly(
        new NotRun(NotRun.Kind.ABORTED, MissingTool.class.getName(), "skipped: " + MISSING)));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int failures = NotRunSummary.print(modules, new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("TESTS NOT RUN (1)", "probes", MissingTool.class.getName() + ": skipped: " + MISSING, NotRunSummary.FIX);

    NotRunSummary.failUnderRequireAll(failures, false);
    assertThatThrownBy(() -> NotRunSummary.failUnderRequireAll(failures, true))
        .hasMessageContaining("1 test class(es) did not run and BPFSTREAM_REQUIRE_ALL is set");
  }

  @Test
  void underRequireAllTheMissingPrerequisiteFailsTheClassItself(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("not-run.txt");
    SummaryGeneratingListener summary = run(file, MissingToolUnderRequireAll.class);

    assertThat(summary.getSummary().getContainersFailedCount()).isEqualTo(1);
    assertThat(summary.getSummary().getFailures()).singleElement()
        .satisfies(f -> assertThat(f.getException()).hasMessageContaining("BPFSTREAM_REQUIRE_ALL is set: " + MISSING));
    assertThat(file).doesNotExist();
  }

  @Test
  void aTestOffByDesignIsListedApartAndFailsNothing(@TempDir Path root) throws Exception {
    Path module = project(root, "jobs");
    run(module.resolve("target/not-run.txt"), OptInSoak.class);

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int failures = NotRunSummary.print(NotRunSummary.read(root), new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertThat(failures).isZero();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("Tests not run: none", "off by design", OptInSoak.class.getName() + "#soak: ", "bpfstream.no-such-soak");
  }

  @Test
  void aModuleWhoseTestsAreNotWatchedCountsAsNotRun(@TempDir Path root) throws Exception {
    project(root, "probes");
    Files.writeString(root.resolve("probes/pom.xml"), "<project><parent></parent><artifactId>bpfstream-probes</artifactId></project>");

    assertThat(NotRunSummary.read(root)).singleElement()
        .satisfies(m -> assertThat(m.unwatched()).contains("add bpfstream-broker (test scope) to probes/pom.xml"));
    Files.writeString(root.resolve("test-summary/pom.xml"), "<project></project>");
    Files.writeString(root.resolve("probes/pom.xml"), "<project><parent></parent><artifactId>bpfstream-probes</artifactId>"
        + "<artifactId>bpfstream-broker</artifactId></project>");
    assertThat(NotRunSummary.read(root)).singleElement()
        .satisfies(m -> assertThat(m.unwatched()).contains("add bpfstream-probes to test-summary/pom.xml"));
  }

  /** A project root with one module that has tests and is watched. */
  private static Path project(Path root, String name) throws Exception {
    Files.writeString(root.resolve("pom.xml"), "<modules><module>" + name + "</module><module>test-summary</module></modules>");
    Path module = Files.createDirectories(root.resolve(name));
    Files.createDirectories(module.resolve("src/test"));
    Files.writeString(module.resolve("pom.xml"), "<project><parent></parent><artifactId>bpfstream-" + name + "</artifactId>"
        + "<dependency><artifactId>bpfstream-broker</artifactId></dependency></project>");
    Files.createDirectories(root.resolve("test-summary"));
    Files.writeString(root.resolve("test-summary/pom.xml"), "<artifactId>bpfstream-" + name + "</artifactId>");
    return module;
  }

  /** Runs the class with only a NotRunListener on the file (not the one this JVM's ServiceLoader registers). */
  private static SummaryGeneratingListener run(Path notRunFile, Class<?> testClass) {
    Launcher launcher = LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
        new NotRunListener(notRunFile), summary);
    return summary;
  }
}
