package dev.bpfstream.jobs.sql;

import java.util.List;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.SqlParserException;
import org.apache.flink.table.api.TableException;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.operations.DescribeTableOperation;
import org.apache.flink.table.operations.ExplainOperation;
import org.apache.flink.table.operations.Operation;
import org.apache.flink.table.operations.QueryOperation;
import org.apache.flink.table.operations.ShowOperation;

/**
 * A streaming SQL session over the topic catalog: runs a script (statements separated by
 * semicolons) whose last statement is the query whose result is returned. Times show in UTC;
 * idle partitions stop holding back event time after 5 s.
 */
public final class SqlSession {
  /** Deepest nesting of parentheses a statement may have (real queries stay far below). */
  static final int MAX_NESTING = 200;

  private final StreamTableEnvironment tables;

  public SqlSession(StreamExecutionEnvironment env, TopicTables.Source source) {
    tables = StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
    tables.getConfig().set("table.local-time-zone", "UTC");
    tables.getConfig().set("table.exec.source.idle-timeout", "5 s");
    tables.registerCatalog(TopicCatalog.NAME, new TopicCatalog(source));
    tables.useCatalog(TopicCatalog.NAME);
  }

  public StreamTableEnvironment tables() {
    return tables;
  }

  /** Runs every statement and returns the last one's result; a bad statement raises {@link SqlError}. */
  public TableResult run(String script) {
    List<String> statements = SqlStatements.split(script);
    if (statements.isEmpty()) {
      throw new SqlError("no SQL statement given");
    }
    TableResult result = null;
    for (int i = 0; i < statements.size(); i++) {
      String statement = statements.get(i);
      int nesting = SqlStatements.nesting(statement);
      if (nesting > MAX_NESTING) {
        // Flink's parser recurses per level: far deeper than any real query, it overflows the stack.
        throw new SqlError("parentheses nested " + nesting + " deep; at most " + MAX_NESTING);
      }
      try {
        if (i == statements.size() - 1) {
          List<Operation> ops = ((TableEnvironmentInternal) tables).getParser().parse(statement);
          Operation op = ops.isEmpty() ? null : ops.get(0);
          if (!(op instanceof QueryOperation || op instanceof ShowOperation || op instanceof ExplainOperation
              || op instanceof DescribeTableOperation)) {
            throw new SqlError("the last statement must be a query (SELECT ...), not: " + oneLine(SqlStatements.withoutComments(statement)));
          }
        }
        result = tables.executeSql(statement);
      } catch (SqlError e) {
        throw e;
      } catch (SqlParserException | ValidationException | TableException e) {
        throw new SqlError(oneLine(e.getMessage()));
      } catch (RuntimeException e) {
        // Flink lets some refusals out unwrapped (Calcite's CalciteContextException from a view's
        // query, a NullPointerException from its own parser on input it cannot handle): still a
        // refused statement, not a failed query.
        throw new SqlError(oneLine(e.getMessage() != null ? e.getMessage() : e.toString()));
      } catch (StackOverflowError e) {
        throw new SqlError("statement too deeply nested for Flink's parser");
      }
    }
    return result;
  }

  /**
   * Flink's message without its list of expected tokens, on one line; control characters it quotes
   * from the statement (a NUL, a terminal escape) are shown escaped, never sent to the terminal.
   */
  public static String oneLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int expecting = message.indexOf("Was expecting");
    String m = expecting > 0 ? message.substring(0, expecting) : message;
    StringBuilder sb = new StringBuilder(m.length());
    m.replaceAll("[\\s\\u2028\\u2029\\u0085]+", " ").strip().codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        sb.append(String.format("\\u%04x", c));
      } else {
        sb.appendCodePoint(c);
      }
    });
    return sb.toString();
  }

  /** A statement Flink refused, with Flink's own message on one line. */
  public static final class SqlError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SqlError(String message) {
      super(message);
    }
  }
}
