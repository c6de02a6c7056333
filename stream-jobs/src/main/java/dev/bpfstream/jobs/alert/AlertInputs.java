package dev.bpfstream.jobs.alert;

import java.io.Serializable;

import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Where the alerts job reads each topic from. */
public interface AlertInputs extends Serializable {
  <T extends SpecificRecordBase> DataStream<T> stream(StreamExecutionEnvironment env, Topic topic, Class<T> type);
}
