package dev.bpfstream.jobs.sql;

import java.util.concurrent.TimeUnit;

import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.jobs.alert.Records;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.table.types.logical.RowType;
import dev.bpfstream.schema.WireCodec;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.table.data.RowData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The SQL format's per-record work: one ProcessExec wire message to a row (all columns, and two). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class SqlFormatBenchmark {
  private DeserializationSchema<RowData> allColumns;
  private DeserializationSchema<RowData> twoColumns;
  private byte[] message;

  @Setup
  public void setup() {
    String schema = ProcessExec.getClassSchema().toString();
    RowType row = (RowType) AvroSchemaConverter.convertToDataType(schema).getLogicalType();
    int[] all = new int[row.getFieldCount()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    allColumns = new WireRowDeserializationSchema(schema, row, all, null);
    twoColumns = new WireRowDeserializationSchema(schema, row, new int[] {row.getFieldIndex("filename"), row.getFieldIndex("dirMode")}, null);
    message = WireCodec.of(ProcessExec.class).encode(Records.exec("web-1", "c0ffee1234567890", 1000, "/usr/bin/curl", 0755, 0, 0755, Records.T0));
  }

  @Benchmark
  public RowData allColumns() throws Exception {
    return allColumns.deserialize(message);
  }

  @Benchmark
  public RowData twoColumns() throws Exception {
    return twoColumns.deserialize(message);
  }
}
