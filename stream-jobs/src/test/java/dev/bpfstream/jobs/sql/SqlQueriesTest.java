package dev.bpfstream.jobs.sql;

import static dev.bpfstream.jobs.alert.Records.MS;
import static dev.bpfstream.jobs.alert.Records.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bpfstream.broker.junit.KafkaBrokerExtension;
import dev.bpfstream.broker.junit.TestBroker;
import dev.bpfstream.event.CommandEntry;
import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.Scope;
import dev.bpfstream.event.TcpEventType;
import dev.bpfstream.event.WorkloadSummary;
import dev.bpfstream.jobs.JobsMain;
import dev.bpfstream.jobs.TopicWriter;
import dev.bpfstream.jobs.alert.Records;
import dev.bpfstream.jobs.testing.FlinkCluster;
import dev.bpfstream.schema.Topic;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The README's queries (conf/sql/*.sql, quoted verbatim in the README) run through {@code sql -f}
 * on a MiniCluster against the in-process broker with generated data, and return the expected rows.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SqlQueriesTest {
  /** A minute boundary, so per-minute windows are easy to read: 2023-11-14 22:14:00 UTC. */
  static final long MINUTE0 = 1_700_000_040L * SECOND;
  static final Path QUERIES = Path.of("../conf/sql");

  @RegisterExtension
  static final MiniClusterExtension FLINK = FlinkCluster.withSlots(2);

  record Run(int exit, String out, String err) {
    /** The rows of the printed table, header excluded. */
    List<List<String>> rows() {
      List<List<String>> rows = new ArrayList<>();
      boolean header = true;
      for (String line : out.lines().toList()) {
        if (!line.startsWith("| ")) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        List<String> cells = new ArrayList<>();
        for (String c : line.substring(1, line.length() - 1).split("\\|")) {
          cells.add(c.strip());
        }
        rows.add(cells);
      }
      return rows;
    }
  }

  static Run sql(TestBroker broker, String prefix, String... args) {
    List<String> all = new ArrayList<>(List.of("sql", "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", prefix,
        "--from", "earliest", "--bounded"));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = JobsMain.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(all.toArray(new String[0]));
    return new Run(exit, out.toString(), err.toString());
  }

  static String prefix() {
    return "sql" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }

  @Test
  void theReadmeQuotesEachQueryFileVerbatim() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    List<Path> files;
    try (var s = Files.list(QUERIES)) {
      files = s.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    assertThat(files).hasSize(4);
    for (Path f : files) {
      assertThat(readme).as(f + " in the README").contains("```sql\n" + Files.readString(f) + "```");
    }
  }

  @Test
  void topExecsPerContainerPerMinute(TestBroker broker) {
    String p = prefix();
    try (TopicWriter w = new TopicWriter(broker, p)) {
      exec(w, "c1", "/bin/sh", 5, MINUTE0);
      exec(w, "c1", "/usr/bin/curl", 3, MINUTE0 + 10 * SECOND);
      exec(w, "c1", "/bin/ls", 2, MINUTE0 + 20 * SECOND);
      exec(w, "c1", "/bin/cat", 1, MINUTE0 + 30 * SECOND);     // fourth in c1: not shown
      exec(w, null, "/usr/bin/python3", 2, MINUTE0 + 5 * SECOND);
      exec(w, "c1", "/bin/cat", 4, MINUTE0 + 65 * SECOND);     // the next minute
      w.flush();
    }
    Run r = sql(broker, p, "-f", QUERIES.resolve("top-execs.sql").toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(r.rows()).containsExactlyInAnyOrder(
        List.of("2023-11-14 22:15:00", "c1", "/bin/sh", "5"),
        List.of("2023-11-14 22:15:00", "c1", "/usr/bin/curl", "3"),
        List.of("2023-11-14 22:15:00", "c1", "/bin/ls", "2"),
        List.of("2023-11-14 22:15:00", "host", "/usr/bin/python3", "2"),
        List.of("2023-11-14 22:16:00", "c1", "/bin/cat", "4"));
    assertThat(r.out()).contains("| window_end          | container | filename         | execs |");
  }

  static void exec(TopicWriter w, String container, String file, int times, long t) {
    for (int i = 0; i < times; i++) {
      w.send("h", Records.exec("h", container, 1000, file, 0755, 0, 0755, t + i * MS));
    }
  }

  @Test
  void blockIoP99PerHostPerMinute(TestBroker broker) {
    String p = prefix();
    long w10 = 10 * SECOND;
    try (TopicWriter w = new TopicWriter(broker, p)) {
      w.send("a", Records.latency(LatencyKind.BLOCK_IO, "a", "vda", MINUTE0, w10, 12 * MS));
      w.send("a", Records.latency(LatencyKind.BLOCK_IO, "a", "vdb", MINUTE0, w10, 30 * MS));
      w.send("a", Records.latency(LatencyKind.BLOCK_IO, "a", "vda", MINUTE0 + w10, w10, 45_500_000));
      w.send("a", Records.latency(LatencyKind.RUNQ, "a", "all", MINUTE0, w10, 900 * MS));   // another kind
      w.send("b", Records.latency(LatencyKind.BLOCK_IO, "b", "nvme0n1", MINUTE0, w10, 250_000));
      w.send("b", Records.latency(LatencyKind.BLOCK_IO, "b", "nvme0n1", MINUTE0 + 60 * SECOND, w10, 2 * MS));
      w.flush();
    }
    Run r = sql(broker, p, "-f", QUERIES.resolve("blockio-p99.sql").toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.rows()).containsExactlyInAnyOrder(
        List.of("2023-11-14 22:15:00", "a", "45.5", "3000"),
        List.of("2023-11-14 22:15:00", "b", "0.25", "1000"),
        List.of("2023-11-14 22:16:00", "b", "2", "1000"));
  }

  @Test
  void commandsBehindBurstsOfProcessesFromTheWorkloadSummaries(TestBroker broker) {
    String p = prefix();
    long w10 = 10 * SECOND;
    try (TopicWriter w = new TopicWriter(broker, p)) {
      w.send("a", withCommands(Records.workload(Scope.HOST, "a", null, MINUTE0, w10, Map.of()),
          new CommandEntry("true", "/usr/bin/true", 30L, 60L, 0L, 0L), new CommandEntry("bash", "", 1L, 12L, 0L, 0L)));
      w.send("a", withCommands(Records.workload(Scope.CONTAINER, "a", "c1", MINUTE0, w10, Map.of()),
          new CommandEntry("true", "/usr/bin/true", 30L, 60L, 0L, 0L)));                      // a container: not a host row
      w.send("a", withCommands(Records.workload(Scope.HOST, "a", null, MINUTE0, 6 * w10, Map.of()),
          new CommandEntry("true", "/usr/bin/true", 30L, 60L, 0L, 0L)));                      // the rollup
      w.send("b", withCommands(Records.workload(Scope.HOST, "b", null, MINUTE0 + w10, w10, Map.of()),
          new CommandEntry("sh", "/bin/sh", 10L, 25L, 0L, 0L)));
      w.flush();
    }
    Run r = sql(broker, p, "-f", QUERIES.resolve("top-commands.sql").toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.rows()).containsExactlyInAnyOrder(
        List.of("2023-11-14 22:14:00", "a", "true", "/usr/bin/true", "30", "60"),
        List.of("2023-11-14 22:14:10", "b", "sh", "/bin/sh", "10", "25"));
  }

  static WorkloadSummary withCommands(WorkloadSummary s, CommandEntry... commands) {
    return WorkloadSummary.newBuilder(s).setTopCommands(List.of(commands)).build();
  }

  @Test
  void tcpConnectsByRemotePortPerNetworkNamespace(TestBroker broker) {
    String p = prefix();
    try (TopicWriter w = new TopicWriter(broker, p)) {
      for (int i = 0; i < 3; i++) {
        w.send("h", Records.tcp("h", "web", 4026532100L, TcpEventType.CONNECT, 443, MINUTE0 + i * SECOND));
      }
      w.send("h", Records.tcp("h", "web", 4026532100L, TcpEventType.CONNECT, 5432, MINUTE0));
      w.send("h", Records.tcp("h", "web", 4026532100L, TcpEventType.CLOSE, 443, MINUTE0));       // not a connect
      w.send("h", Records.tcp("h", null, Records.HOST_NET, TcpEventType.CONNECT, 443, MINUTE0));
      w.send("h", Records.tcp("h", null, Records.HOST_NET, TcpEventType.ACCEPT, 22, MINUTE0));
      w.sendRaw(Topic.TCP, "h", new byte[] {(byte) 0xC3, 0x01, 9, 9, 9, 9, 9, 9, 9, 9, 0});  // unknown writer: skipped
      w.send("h", Records.tcp("h", null, Records.HOST_NET, TcpEventType.CONNECT, 443, MINUTE0 + SECOND));
      w.flush();
    }
    Run r = sql(broker, p, "-f", QUERIES.resolve("tcp-connects.sql").toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.rows()).containsExactlyInAnyOrder(
        List.of("4026532100", "web", "443", "3"),
        List.of("4026532100", "web", "5432", "1"),
        List.of(String.valueOf(Records.HOST_NET), "host", "443", "2"));
    Run changes = sql(broker, p, "--changelog",
        "CREATE TEMPORARY VIEW connects AS SELECT * FROM bpf_tcp WHERE type = 'CONNECT'; -- a view, then the query\n"
            + "SELECT dport, COUNT(*) AS n FROM connects WHERE dport = 5432 GROUP BY dport");
    assertThat(changes.err()).isEmpty();
    assertThat(changes.out()).startsWith("+I | 5432 | 1" + System.lineSeparator());
  }

  @Test
  void aLiveQuerySeesRecordsProducedWhileItRuns(TestBroker broker) throws Exception {
    String p = prefix();
    try (TopicWriter w = new TopicWriter(broker, p)) {
      exec(w, "c1", "/bin/before", 1, MINUTE0);
      w.flush();
      java.util.Properties client = new java.util.Properties();
      client.putAll(broker.clientProperties());
      SqlSession session = new SqlSession(dev.bpfstream.jobs.FlinkTarget.environment(null),
          new TopicTables.Source(client, p, TopicTables.StartFrom.EARLIEST, false, "live-test"));
      try (org.apache.flink.util.CloseableIterator<org.apache.flink.types.Row> rows =
               session.run("SELECT filename FROM bpf_exec WHERE ctx.containerId = 'c1'").collect()) {
        assertThat(rows.next().getField(0)).isEqualTo("/bin/before");
        exec(w, "c1", "/bin/after", 1, MINUTE0 + SECOND);
        w.flush();
        assertThat(rows.next().getField(0)).isEqualTo("/bin/after");
      }
    }
  }

  @Test
  void aBoundedQueryOnATopicNobodyProducedToSaysSo(TestBroker broker) {
    String p = prefix();
    Run r = sql(broker, p, "SELECT ctx.hostname, command FROM bpf_shell");
    assertThat(r.err()).isEqualTo("sql: the query failed: topic " + p + "bpf.shell does not exist: nothing was produced to it yet"
        + " (a query without --bounded waits for it)" + System.lineSeparator());
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void tablesListsEveryTopicWithItsColumns(TestBroker broker) {
    Run r = sql(broker, prefix(), "--tables");
    assertThat(r.exit()).isZero();
    for (Topic t : Topic.values()) {
      assertThat(r.out()).contains(TopicTables.tableName(t) + "  (topic " + t.topicName() + ", " + t.schema().getName() + ")");
    }
    assertThat(r.out()).contains("    ctx ROW<`hostId` STRING NOT NULL, ", "    event_time TIMESTAMP_LTZ(3) *ROWTIME*", "    filename STRING NOT NULL");
  }

  @Test
  void aBadQueryGetsFlinksMessageOnOneLineAndNoStackTrace(TestBroker broker) {
    String p = prefix();
    Run parse = sql(broker, p, "SELECT filename FROMM bpf_exec");
    assertThat(parse.exit()).isEqualTo(2);
    assertThat(parse.err()).startsWith("sql: SQL parse failed. Encountered \"bpf_exec\" at line 1, column 23.");
    Run column = sql(broker, p, "SELECT nope FROM bpf_exec");
    assertThat(column.err()).isEqualTo("sql: SQL validation failed. From line 1, column 8 to line 1, column 11: Column 'nope' not found in any table"
        + System.lineSeparator());
    Run table = sql(broker, p, "SELECT * FROM bpf_nope");
    assertThat(table.err()).startsWith("sql: SQL validation failed. From line 1, column 15 to line 1, column 22: Object 'bpf_nope' not found");
    Run typo = sql(broker, p, "SELEC 1");
    assertThat(typo.err()).startsWith("sql: SQL parse failed.");
    Run notQuery = sql(broker, p, "DROP TABLE bpf_exec");
    assertThat(notQuery.err()).isEqualTo("sql: the last statement must be a query (SELECT ...), not: DROP TABLE bpf_exec" + System.lineSeparator());
    for (Run r : List.of(parse, column, table, typo, notQuery)) {
      assertThat(r.err()).doesNotContain("\tat ", "Exception");
      assertThat(r.err().lines().count()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
    }
  }
}
