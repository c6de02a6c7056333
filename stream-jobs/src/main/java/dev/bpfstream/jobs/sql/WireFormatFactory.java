package dev.bpfstream.jobs.sql;

import java.util.Set;

import dev.bpfstream.schema.Topic;
import org.apache.avro.Schema;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * Flink SQL format {@code 'bpfstream-wire'}: the project's wire format (Avro single-object
 * encoding, writer schema looked up by fingerprint in the shipped schema store and resolved to the
 * record's current schema), turned into rows by Flink's Avro row converters. The built-in
 * {@code 'avro'} format cannot read it: it expects a bare Avro body of one fixed schema.
 *
 * <pre>'format' = 'bpfstream-wire', 'bpfstream-wire.record' = 'ProcessExec'</pre>
 */
public final class WireFormatFactory implements DeserializationFormatFactory {
  public static final String IDENTIFIER = "bpfstream-wire";

  public static final ConfigOption<String> RECORD = ConfigOptions.key("record").stringType().noDefaultValue()
      .withDescription("The record type of the topic: its simple or full name (ProcessExec) or the topic name (bpf.exec).");

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(RECORD);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of();
  }

  @Override
  public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(DynamicTableFactory.Context context, ReadableConfig options) {
    FactoryUtil.validateFactoryOptions(this, options);
    return new WireDecodingFormat(recordSchema(options.get(RECORD)));
  }

  static Schema recordSchema(String name) {
    for (Topic t : Topic.values()) {
      Schema s = t.schema();
      if (s.getName().equals(name) || s.getFullName().equals(name) || t.topicName().equals(name)) {
        return s;
      }
    }
    throw new ValidationException("'" + IDENTIFIER + ".record' = '" + name + "' is not a record of any topic; one of: "
        + java.util.Arrays.stream(Topic.values()).map(t -> t.schema().getName()).toList());
  }
}
