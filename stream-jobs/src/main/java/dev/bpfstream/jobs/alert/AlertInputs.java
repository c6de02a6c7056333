package dev.bpfstream.jobs.alert;

import java.io.Serializable;

import dev.bpfstream.jobs.wire.DeadLetters;
import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Where the alerts job reads each topic from. */
public interface AlertInputs extends Serializable {
  /**
   * The readable records of {@code topic}; the ones that cannot be read come out of the returned
   * operator's {@link DeadLetters#TAG} side output.
   */
  <T extends SpecificRecordBase> SingleOutputStreamOperator<T> stream(StreamExecutionEnvironment env, Topic topic, Class<T> type);
}
