package dev.bpfstream.jobs.sql;

import org.apache.avro.Schema;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/** Decodes one record type; the table's columns must be fields of the record, with the record's types. */
final class WireDecodingFormat implements DecodingFormat<DeserializationSchema<RowData>> {
  private final Schema record;

  WireDecodingFormat(Schema record) {
    this.record = record;
  }

  @Override
  public DeserializationSchema<RowData> createRuntimeDecoder(DynamicTableSource.Context context, DataType physicalDataType) {
    RowType full = (RowType) AvroSchemaConverter.convertToDataType(record.toString()).getLogicalType();
    RowType wanted = (RowType) physicalDataType.getLogicalType();
    int[] projection = new int[wanted.getFieldCount()];
    for (int i = 0; i < projection.length; i++) {
      String name = wanted.getFieldNames().get(i);
      int at = full.getFieldIndex(name);
      if (at < 0) {
        throw new ValidationException("column '" + name + "' is not a field of " + record.getName() + "; its fields: " + full.getFieldNames());
      }
      LogicalType have = full.getTypeAt(at);
      LogicalType want = wanted.getTypeAt(i);
      if (!have.copy(true).equals(want.copy(true))) {
        throw new ValidationException("column '" + name + "' is " + want.asSummaryString() + " but " + record.getName()
            + "." + name + " reads as " + have.asSummaryString());
      }
      projection[i] = at;
    }
    return new WireRowDeserializationSchema(record.toString(), full, projection, context.createTypeInformation(physicalDataType));
  }

  @Override
  public ChangelogMode getChangelogMode() {
    return ChangelogMode.insertOnly();
  }
}
