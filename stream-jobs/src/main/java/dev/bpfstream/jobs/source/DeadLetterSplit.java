package dev.bpfstream.jobs.source;

import dev.bpfstream.event.DeadLetter;
import dev.bpfstream.jobs.wire.DeadLetters;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Hands on the records read, and sends the ones that could not be read to the {@link DeadLetters#TAG} side output. */
public final class DeadLetterSplit<T extends SpecificRecordBase> extends ProcessFunction<Decoded<T>, T> {
  private static final long serialVersionUID = 1L;

  @Override
  public void processElement(Decoded<T> in, Context ctx, Collector<T> out) {
    if (in.value != null) {
      out.collect(in.value);
    } else {
      DeadLetter d = in.deadLetter;
      ctx.output(DeadLetters.TAG, d);
    }
  }
}
