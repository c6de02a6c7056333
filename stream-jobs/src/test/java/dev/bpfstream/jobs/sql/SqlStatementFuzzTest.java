package dev.bpfstream.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.bpfstream.fuzz.BoundedCall;
import dev.bpfstream.fuzz.TextMutation;
import dev.bpfstream.jobs.JobsMain;
import dev.bpfstream.jobs.LocalFlink;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import picocli.CommandLine;

/**
 * SQL given to `bpfstream sql`, made hostile: the shipped queries (conf/sql) and small valid ones,
 * mutated (keywords swapped, stray quotes, comments and semicolons, cut statements, odd characters),
 * and random text. Each script is either refused with Flink's reason on one line, or planned all the
 * way to a job: the environment here stops at submission, so nothing runs and no broker is needed.
 */
class SqlStatementFuzzTest {
  private static final BoundedCall CALLS = new BoundedCall(Duration.ofSeconds(60));
  private static final AtomicInteger SUBMITTED = new AtomicInteger();
  /** Made on the worker thread that runs every statement: the planner keeps per-thread state. */
  private static SqlSession session;
  private static final List<String> VALID = valid();

  /** Plans and translates jobs like the real one, but stops where a job would be submitted. */
  static final class DryRun extends StreamExecutionEnvironment {
    DryRun() {
      super(LocalFlink.loopbackConfiguration());
    }

    @Override
    public JobClient executeAsync(StreamGraph graph) {
      SUBMITTED.incrementAndGet();
      throw new IllegalStateException("dry run: the job was planned; not submitted");
    }
  }

  @Provide
  Arbitrary<String> validScripts() {
    return Arbitraries.of(VALID);
  }

  @Provide
  Arbitrary<List<TextMutation>> mutations() {
    return TextMutation.some();
  }

  /** Seeds of the mutations, once each (conf/sql's queries run for real in SqlQueriesTest): planned to a job, or run. */
  @Example
  void everyValidQueryIsPlannedToAJob() {
    // A plain query, a windowed one, a view then a query; the statements that run without a job.
    for (String sql : List.of(VALID.get(0), VALID.get(3), VALID.get(4), VALID.get(5), VALID.get(6), VALID.get(7))) {
      int before = SUBMITTED.get();
      Throwable t = run(sql);
      if (!(sql.startsWith("SHOW") || sql.startsWith("DESCRIBE") || sql.startsWith("EXPLAIN"))) {
        assertThat(SUBMITTED.get()).as("planned to a job: %s (%s)", shortly(sql), t).isEqualTo(before + 1);
      } else {
        assertThat(t).as(sql).isNull();
      }
    }
  }

  /** Few tries for a fuzz test: a statement that survives its mutation is planned, ~0.2 s each. */
  @Property(tries = 200)
  void mutatedScriptsAreRefusedInOneLineOrPlanned(@ForAll("validScripts") String sql, @ForAll("mutations") List<TextMutation> mutations) {
    int before = SUBMITTED.get();
    Throwable t = run(TextMutation.applyAll(sql, mutations));
    Statistics.collect(SUBMITTED.get() > before ? "planned" : t == null ? "ran (SHOW, DESCRIBE, EXPLAIN)" : "refused");
  }

  @Property(tries = 1000)
  void randomTextIsRefusedInOneLine(@ForAll @Size(max = 120) String text) {
    run(text);
  }

  @Example
  void deeplyNestedStatementsAreRefusedNotAStackOverflow() {
    for (int depth : new int[] {100, 3_000, 20_000}) {
      String sql = "SELECT " + "(".repeat(depth) + "1" + ")".repeat(depth) + " FROM bpf_exec";
      run(sql); // refused or planned, in one line: never a StackOverflowError
    }
  }

  @Example
  void theCommandPrintsARefusalOnOneLineWithoutAStackTrace() {
    for (String sql : List.of("SELEC * FROM bpf_exec", "SELECT * FROM nosuch", "SELECT " + "(".repeat(20_000) + "1",
        "SELECT 'unterminated FROM bpf_exec", "\u0000")) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cmd = JobsMain.commandLine();
      cmd.setOut(new PrintWriter(out, true));
      cmd.setErr(new PrintWriter(err, true));
      BoundedCall.Outcome<Integer> o = CALLS.run(() -> cmd.execute("sql", "--bootstrap-servers", "127.0.0.1:9", sql), shortly(sql));
      assertThat(o.thrown()).as(shortly(sql)).isNull();
      assertThat(err.toString().strip()).as(shortly(sql)).startsWith("sql: ").doesNotContainPattern("\\p{Cntrl}");
      assertThat(o.value()).as("%s: %s", shortly(sql), shortly(err.toString())).isEqualTo(2);
    }
  }

  /**
   * Runs the script; the only failure allowed is {@link SqlSession.SqlError} with a one-line message
   * (the dry run's stop at submission is one). Returns that, or null when the script ran.
   */
  private static Throwable run(String script) {
    BoundedCall.Outcome<Object> o = CALLS.run(() -> {
      if (session == null) {
        session = session();
      }
      return session.run(script);
    }, shortly(script));
    if (o.thrown() != null) {
      assertThat(o.thrown()).as("for: %s", shortly(script)).isExactlyInstanceOf(SqlSession.SqlError.class);
      assertThat(o.thrown().getMessage()).as("for: %s", shortly(script)).isNotBlank().doesNotContainPattern("\\p{Cntrl}")
          .hasSizeLessThan(4000);
    }
    return o.thrown();
  }

  private static String shortly(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "... (" + s.length() + " characters)";
  }

  private static SqlSession session() {
    Properties client = new Properties();
    client.put("bootstrap.servers", "127.0.0.1:9");
    return new SqlSession(new DryRun(), new TopicTables.Source(client, "", TopicTables.StartFrom.EARLIEST, true, "fuzz"));
  }

  private static List<String> valid() {
    List<String> out = new ArrayList<>(List.of(
        "SELECT * FROM bpf_exec",
        "SELECT hostname, COUNT(*) AS execs FROM bpf_exec GROUP BY hostname",
        "SELECT filename, argv[1] FROM bpf_exec WHERE ctx.uid = 0 AND filename LIKE '/tmp/%'",
        "SELECT window_start, kind, MAX(p99Ns) FROM TABLE(HOP(TABLE agg_latency, DESCRIPTOR(event_time), INTERVAL '10' SECOND, "
            + "INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, kind",
        "CREATE TEMPORARY VIEW IF NOT EXISTS slow AS SELECT * FROM bpf_fileslow WHERE latencyNs > 1000000; SELECT COUNT(*) FROM slow",
        "SHOW TABLES",
        "DESCRIBE agg_latency",
        "EXPLAIN SELECT * FROM bpf_tcp WHERE dport = 443"));
    try (Stream<Path> files = Files.list(Path.of("../conf/sql"))) {
      for (Path f : files.sorted().toList()) {
        out.add(Files.readString(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
