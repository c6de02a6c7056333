package dev.bpfstream.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.jobs.alert.Records;
import dev.bpfstream.schema.SchemaStore;
import dev.bpfstream.schema.WireCodec;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.Test;

/** The SQL format on its own: header, fingerprint resolution across writer versions, projection, rejects. */
class WireRowDeserializationSchemaTest {
  static final Schema CURRENT = ProcessExec.getClassSchema();
  static final RowType ROW = (RowType) AvroSchemaConverter.convertToDataType(CURRENT.toString()).getLogicalType();

  /** ProcessExec as an older producer wrote it: without the three file-mode fields added later. */
  static Schema older() {
    String json = CURRENT.toString()
        .replaceAll(",\\{\"name\":\"fileMode\".*?\"default\":0[^}]*}", "")
        .replaceAll(",\\{\"name\":\"fileUid\".*?\"default\":-1[^}]*}", "")
        .replaceAll(",\\{\"name\":\"dirMode\".*?\"default\":0[^}]*}", "");
    Schema s = new Schema.Parser().parse(json);
    assertThat(s.getField("fileMode")).isNull();
    assertThat(s.getField("dirMode")).isNull();
    return s;
  }

  /** ProcessExec as a newer producer writes it: one more field, with a default. */
  static Schema newer() {
    String json = CURRENT.toString().replaceFirst("]}$",
        ",{\"name\":\"cwd\",\"type\":\"string\",\"default\":\"\"}]}");
    return new Schema.Parser().parse(json);
  }

  static WireRowDeserializationSchema schema(int[] projection, List<String> extra) {
    return new WireRowDeserializationSchema(CURRENT.toString(), ROW, projection, null, extra);
  }

  static int[] all() {
    int[] p = new int[ROW.getFieldCount()];
    for (int i = 0; i < p.length; i++) {
      p[i] = i;
    }
    return p;
  }

  @Test
  void readsCurrentOlderAndNewerWritersIntoTheCurrentRow() throws Exception {
    Schema older = older();
    Schema newer = newer();
    ProcessExec e = Records.exec("web-1", "c1", 1000, "/tmp/x", 0755, 1000, 01777, Records.T0);
    WireRowDeserializationSchema d = schema(all(), List.of(older.toString(), newer.toString()));

    RowData current = d.deserialize(WireCodec.of(ProcessExec.class).encode(e));
    assertThat(current.getString(ROW.getFieldIndex("filename")).toString()).isEqualTo("/tmp/x");
    assertThat(current.getInt(ROW.getFieldIndex("dirMode"))).isEqualTo(01777);
    assertThat(current.getRow(0, 14).getString(11).toString()).as("ctx.containerId").isEqualTo("c1");

    GenericRecord old = copy(e, older);
    RowData fromOld = d.deserialize(WireCodec.generic(older, SchemaStore.shipped().with(List.of(older))).encode(old));
    assertThat(fromOld.getString(ROW.getFieldIndex("filename")).toString()).isEqualTo("/tmp/x");
    assertThat(fromOld.getInt(ROW.getFieldIndex("dirMode"))).as("default of a field the writer lacked").isZero();
    assertThat(fromOld.getLong(ROW.getFieldIndex("fileUid"))).isEqualTo(-1);

    GenericRecord young = copy(e, newer);
    young.put("cwd", "/root");
    RowData fromNew = d.deserialize(WireCodec.generic(newer, SchemaStore.shipped().with(List.of(newer))).encode(young));
    assertThat(fromNew.getArity()).isEqualTo(ROW.getFieldCount());
    assertThat(fromNew.getInt(ROW.getFieldIndex("dirMode"))).isEqualTo(01777);
  }

  @Test
  void anUnknownWriterOrGarbageIsSkippedNotMisread() throws Exception {
    Schema newer = newer();
    GenericRecord young = copy(Records.exec("h", null, 0, "/bin/x", 0755, 0, 0755, Records.T0), newer);
    young.put("cwd", "/");
    byte[] unknownWriter = WireCodec.generic(newer, SchemaStore.shipped().with(List.of(newer))).encode(young);
    WireRowDeserializationSchema d = schema(all(), List.of());
    assertThat(d.deserialize(unknownWriter)).isNull();
    assertThat(d.deserialize(new byte[] {1, 2, 3})).isNull();
    assertThat(d.deserialize(WireCodec.of(dev.bpfstream.event.ProcessExit.class)
        .encode(Records.exit("h", null, "x", 1, Records.T0)))).as("another record type").isNull();
  }

  @Test
  void projectsToTheTablesColumns() throws Exception {
    int filename = ROW.getFieldIndex("filename");
    int dirMode = ROW.getFieldIndex("dirMode");
    RowData r = schema(new int[] {dirMode, filename}, List.of())
        .deserialize(WireCodec.of(ProcessExec.class).encode(Records.exec("h", null, 0, "/bin/x", 0755, 0, 0700, Records.T0)));
    assertThat(r.getArity()).isEqualTo(2);
    assertThat(r.getInt(0)).isEqualTo(0700);
    assertThat(r.getString(1).toString()).isEqualTo("/bin/x");
  }

  static GenericRecord copy(ProcessExec e, Schema as) throws Exception {
    GenericRecord full = (GenericRecord) GenericData.get().deepCopy(CURRENT,
        new org.apache.avro.generic.GenericDatumReader<GenericRecord>(CURRENT).read(null,
            org.apache.avro.io.DecoderFactory.get().binaryDecoder(body(e), null)));
    GenericRecord out = new GenericData.Record(as);
    for (Schema.Field f : as.getFields()) {
      out.put(f.name(), as.getField(f.name()) != null && CURRENT.getField(f.name()) != null ? full.get(f.name()) : null);
    }
    return out;
  }

  static byte[] body(ProcessExec e) {
    byte[] wire = WireCodec.of(ProcessExec.class).encode(e);
    byte[] b = new byte[wire.length - WireCodec.HEADER_BYTES];
    System.arraycopy(wire, WireCodec.HEADER_BYTES, b, 0, b.length);
    return b;
  }

}
