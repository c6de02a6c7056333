package dev.bpfstream.collector.sink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecord;

/** `--stdout`: one JSON object per line, {"topic": ..., "record": {...}}, like execsnoop but structured. */
public final class JsonLinesSink implements EventSink {
  private final BufferedWriter out;

  public JsonLinesSink(OutputStream stream) {
    this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
  }

  @Override
  public synchronized void accept(Topic topic, SpecificRecord record, ProbeCounters counters) {
    try {
      out.write("{\"topic\": \"");
      out.write(topic.topicName());
      out.write("\", \"record\": ");
      out.write(record.toString()); // Avro renders records as JSON
      out.write("}\n");
      counters.produced.increment();
    } catch (IOException e) {
      counters.dropped.increment();
      throw new UncheckedIOException("stdout closed", e);
    }
  }

  @Override
  public synchronized void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    flush();
  }
}
