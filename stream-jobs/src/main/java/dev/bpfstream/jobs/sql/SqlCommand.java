package dev.bpfstream.jobs.sql;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.jobs.FlinkTarget;
import dev.bpfstream.options.KafkaClientOptions;
import dev.bpfstream.schema.Topic;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bpfstream sql "SELECT ..."} / {@code bpfstream sql -f query.sql}: streaming SQL over the topics. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {"Run a streaming SQL query over the topics and print its live result.",
        "Every topic is a table: bpf.exec is bpf_exec, agg.latency is agg_latency, ... (--tables lists them)."})
public final class SqlCommand implements Callable<Integer> {
  private static final String CLEAR = "\u001b[H\u001b[2J";

  @Spec
  CommandSpec spec;

  @Mixin
  KafkaClientOptions kafka;

  @Parameters(arity = "0..1", paramLabel = "SQL", description = "The query (or statements separated by ';', the last a query).")
  String sql;

  @Option(names = {"-f", "--file"}, description = "Read the statements from this file.")
  Path file;

  @Option(names = "--from", defaultValue = "latest",
      description = "Where to start reading each topic: latest, earliest or committed (default: ${DEFAULT-VALUE}).")
  String from;

  @Option(names = "--bounded", description = "Read the topics up to their current end, print the final result and stop.")
  boolean bounded;

  @Option(names = "--changelog", description = "Print every change (+I, -U, +U, -D) instead of redrawing the table.")
  boolean changelog;

  @Option(names = "--max-rows", defaultValue = "40", description = "Rows shown in the table (default: ${DEFAULT-VALUE}).")
  int maxRows;

  @Option(names = "--refresh-ms", defaultValue = "500", description = "Redraw at most this often on a terminal (default: ${DEFAULT-VALUE}).")
  long refreshMs;

  @Option(names = "--tables", description = "List the tables and their columns, then stop.")
  boolean listTables;

  @Option(names = "--jobmanager", description = "host:port of a Flink JobManager; default: a local loopback MiniCluster.")
  String jobManager;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return run(out);
    } catch (SqlSession.SqlError e) {
      err.println("sql: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("sql: " + SqlSession.oneLine(e.getMessage()));
      return 2;
    } catch (RuntimeException e) {
      Throwable root = ExceptionUtils.stripException(e, RuntimeException.class);
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why = root instanceof UnknownTopicOrPartitionException ? missingTopics()
          : root.getClass().getSimpleName() + ": " + root.getMessage();
      err.println("sql: the query failed: " + SqlSession.oneLine(why));
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int run(PrintWriter out) {
    TopicTables.StartFrom start;
    try {
      start = TopicTables.StartFrom.valueOf(from.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SqlSession.SqlError("--from must be latest, earliest or committed, not '" + from + "'");
    }
    String script = listTables ? null : script();
    StreamExecutionEnvironment env = FlinkTarget.environment(jobManager);
    SqlSession session = new SqlSession(env, new TopicTables.Source(kafka.clientProperties(), kafka.topicPrefix(), start, bounded,
        "bpfstream-sql-" + UUID.randomUUID()));
    if (listTables) {
      printTables(session, out);
      return 0;
    }
    TableResult result = session.run(script);
    List<String> columns = new ArrayList<>(result.getResolvedSchema().getColumnNames());
    LiveTable table = new LiveTable(columns);
    boolean redraw = !changelog && System.console() != null;
    boolean finalOnly = !changelog && !redraw && bounded;
    long lastDraw = 0;
    try (CloseableIterator<Row> rows = result.collect()) {
      Thread closer = new Thread(() -> closeQuietly(rows), "sql-cancel");
      Runtime.getRuntime().addShutdownHook(closer);
      try {
        while (rows.hasNext()) {
          Row row = rows.next();
          table.apply(row);
          if (redraw) {
            long now = System.currentTimeMillis();
            if (now - lastDraw >= refreshMs) {
              out.print(CLEAR + table.render(maxRows));
              out.flush();
              lastDraw = now;
            }
          } else if (!finalOnly) {
            out.println(LiveTable.changeLine(row));
            out.flush();
          }
        }
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(closer);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it closes the result
        }
      }
    } catch (Exception e) {
      throw e instanceof RuntimeException r ? r : new RuntimeException(e);
    }
    out.print((redraw ? CLEAR : "") + table.render(maxRows));
    return 0;
  }

  private String script() {
    if ((sql == null) == (file == null)) {
      throw new SqlSession.SqlError(sql == null ? "give a query, e.g. sql \"SELECT * FROM bpf_exec\", or -f query.sql"
          : "give either a query or -f FILE, not both");
    }
    if (file == null) {
      return sql;
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SqlSession.SqlError("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static void printTables(SqlSession session, PrintWriter out) {
    for (Topic t : Topic.values()) {
      ResolvedSchema schema = session.tables().from(TopicTables.tableName(t)).getResolvedSchema();
      out.println(TopicTables.tableName(t) + "  (topic " + t.topicName() + ", " + t.schema().getName() + ")");
      for (Column c : schema.getColumns()) {
        out.println("    " + c.getName() + " " + c.getDataType().getLogicalType().asSummaryString());
      }
    }
  }

  /** Which topics the query reads that do not exist: with --bounded there is nothing to read from them. */
  private String missingTopics() {
    String text = (sql != null ? sql : "") + (file != null ? " " + file : "");
    try {
      text = file != null ? Files.readString(file, StandardCharsets.UTF_8) : text;
    } catch (IOException ignored) {
      // named by the file then
    }
    Properties p = kafka.clientProperties();
    try (Admin admin = Admin.create(p)) {
      Set<String> existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
      List<String> missing = new ArrayList<>();
      for (Topic t : Topic.values()) {
        String name = kafka.topic(t.topicName());
        if (!existing.contains(name) && text.contains(TopicTables.tableName(t))) {
          missing.add(name);
        }
      }
      if (!missing.isEmpty()) {
        return "topic " + String.join(", ", missing) + (missing.size() == 1 ? " does" : " do") + " not exist: nothing was produced to "
            + (missing.size() == 1 ? "it" : "them") + " yet (a query without --bounded waits for it)";
      }
    } catch (Exception e) {
      // fall through to the broker's own words
    }
    return "a topic the query reads does not exist";
  }

  private static void closeQuietly(CloseableIterator<Row> rows) {
    try {
      rows.close();
    } catch (Exception ignored) {
      // shutting down anyway
    }
  }
}
