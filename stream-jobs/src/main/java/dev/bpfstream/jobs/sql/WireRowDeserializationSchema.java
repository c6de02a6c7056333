package dev.bpfstream.jobs.sql;

import java.util.Arrays;
import java.util.List;

import dev.bpfstream.schema.SchemaStore;
import dev.bpfstream.schema.WireCodec;
import dev.bpfstream.schema.WireFormatException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.AvroToRowDataConverters;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One wire message to one row: {@link WireCodec} checks the header and resolves the writer schema
 * by fingerprint (so mixed producer versions read right), then Flink's Avro converter makes the row.
 * An unreadable message is skipped, counted ({@code wireRejected}) and logged with its reason.
 */
final class WireRowDeserializationSchema implements DeserializationSchema<RowData> {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(WireRowDeserializationSchema.class);

  private final String readerSchema;
  private final RowType recordType;
  private final int[] projection;
  private final TypeInformation<RowData> producedType;
  private final boolean identity;
  /** Writer schemas known beyond the shipped store (tests; a newer producer's schema handed to an older reader). */
  private final List<String> extraWriterSchemas;
  private transient WireCodec<Object> codec;
  private transient AvroToRowDataConverters.AvroToRowDataConverter converter;
  private transient RowData.FieldGetter[] getters;
  private transient Counter rejected;

  WireRowDeserializationSchema(String readerSchema, RowType recordType, int[] projection, TypeInformation<RowData> producedType) {
    this(readerSchema, recordType, projection, producedType, List.of());
  }

  WireRowDeserializationSchema(String readerSchema, RowType recordType, int[] projection, TypeInformation<RowData> producedType,
                               List<String> extraWriterSchemas) {
    this.extraWriterSchemas = List.copyOf(extraWriterSchemas);
    this.readerSchema = readerSchema;
    this.recordType = recordType;
    this.projection = projection;
    this.producedType = producedType;
    int[] all = new int[recordType.getFieldCount()];
    Arrays.setAll(all, i -> i);
    this.identity = Arrays.equals(all, projection);
  }

  @Override
  public void open(InitializationContext context) {
    init();
    rejected = context.getMetricGroup().counter("wireRejected");
  }

  private void init() {
    SchemaStore store = SchemaStore.shipped();
    if (!extraWriterSchemas.isEmpty()) {
      store = store.with(extraWriterSchemas.stream().map(s -> new Schema.Parser().parse(s)).toList());
    }
    codec = WireCodec.generic(new Schema.Parser().parse(readerSchema), store);
    converter = AvroToRowDataConverters.createRowConverter(recordType);
    getters = new RowData.FieldGetter[projection.length];
    for (int i = 0; i < projection.length; i++) {
      getters[i] = RowData.createFieldGetter(recordType.getTypeAt(projection[i]), projection[i]);
    }
  }

  @Override
  public RowData deserialize(byte[] message) {
    if (codec == null) {
      init();
    }
    GenericRecord record;
    try {
      record = (GenericRecord) codec.decode(message);
    } catch (WireFormatException e) {
      if (rejected != null) {
        rejected.inc();
      }
      log.warn("skipped unreadable {} message: {}", codec.schema().getName(), e.getMessage());
      return null;
    }
    RowData row = (RowData) converter.convert(record);
    if (identity) {
      return row;
    }
    GenericRowData projected = new GenericRowData(projection.length);
    for (int i = 0; i < projection.length; i++) {
      projected.setField(i, getters[i].getFieldOrNull(row));
    }
    return projected;
  }

  @Override
  public boolean isEndOfStream(RowData nextElement) {
    return false;
  }

  @Override
  public TypeInformation<RowData> getProducedType() {
    return producedType;
  }
}
