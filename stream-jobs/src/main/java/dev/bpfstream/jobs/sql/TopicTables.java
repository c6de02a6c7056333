package dev.bpfstream.jobs.sql;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import dev.bpfstream.schema.Topic;
import org.apache.avro.Schema;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.table.catalog.CatalogTable;

/**
 * Every topic as a Flink SQL table: the columns are the record's fields (nested records as ROWs),
 * plus {@code event_time} (TIMESTAMP_LTZ(3), with a watermark 5 s behind) and {@code proc_time}.
 */
public final class TopicTables {
  /** How far event time may run out of order across hosts before windows close. */
  static final String WATERMARK_DELAY = "INTERVAL '5' SECOND";

  /** Where the tables read from. */
  public record Source(Properties client, String topicPrefix, StartFrom startFrom, boolean bounded, String groupId) {
  }

  /** Where a query starts reading each topic. */
  public enum StartFrom {
    EARLIEST("earliest-offset"), LATEST("latest-offset"), COMMITTED("group-offsets");

    final String option;

    StartFrom(String option) {
      this.option = option;
    }
  }

  private TopicTables() {
  }

  /** bpf.exec -> bpf_exec: a name SQL takes without quoting. */
  public static String tableName(Topic t) {
    return t.topicName().replace('.', '_');
  }

  /** The expression of a record's event time in epoch nanoseconds. */
  static String eventTimeNs(Schema s) {
    if (s.getField("ctx") != null) {
      return "ctx.timeNs";
    }
    for (String f : new String[] {"timeNs", "windowStartNs", "intervalStartNs"}) {
      if (s.getField(f) != null) {
        return f;
      }
    }
    throw new IllegalStateException(s.getName() + " has no time field");
  }

  public static CatalogTable table(Topic topic, Source source) {
    Schema avro = topic.schema();
    org.apache.flink.table.api.Schema schema = org.apache.flink.table.api.Schema.newBuilder()
        .fromRowDataType(AvroSchemaConverter.convertToDataType(avro.toString()))
        .columnByExpression("event_time", "TO_TIMESTAMP_LTZ(" + eventTimeNs(avro) + " / 1000000, 3)")
        .columnByExpression("proc_time", "PROCTIME()")
        .watermark("event_time", "event_time - " + WATERMARK_DELAY)
        .build();
    Map<String, String> options = new LinkedHashMap<>();
    options.put("connector", "kafka");
    String name = source.topicPrefix() + topic.topicName();
    if (source.bounded()) {
      // Read to the end of what exists: a bounded source over a pattern matching nothing never ends.
      options.put("topic", name);
    } else {
      // A pattern, not a name: a topic nobody produced to yet is picked up when it appears instead
      // of failing the query.
      options.put("topic-pattern", java.util.regex.Pattern.quote(name));
    }
    source.client().forEach((k, v) -> options.put("properties." + k, String.valueOf(v)));
    options.put("properties.group.id", source.groupId());
    if (source.startFrom() == StartFrom.COMMITTED) {
      options.put("properties.auto.offset.reset", "latest");
    }
    options.put("scan.startup.mode", source.startFrom().option);
    if (source.bounded()) {
      options.put("scan.bounded.mode", "latest-offset");
    } else {
      options.put("scan.topic-partition-discovery.interval", "10s");
    }
    options.put("format", WireFormatFactory.IDENTIFIER);
    options.put(WireFormatFactory.IDENTIFIER + "." + WireFormatFactory.RECORD.key(), avro.getName());
    return CatalogTable.newBuilder()
        .schema(schema)
        .comment(topic.topicName() + ": " + avro.getName() + (avro.getDoc() != null ? " - " + avro.getDoc() : ""))
        .options(options)
        .build();
  }
}
