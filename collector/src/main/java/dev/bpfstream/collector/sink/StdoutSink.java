package dev.bpfstream.collector.sink;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecord;

/**
 * `--stdout`: one line per record, JSON ({"topic": ..., "record": {...}}, see {@link RecordJson})
 * or aligned text ({@link RecordText}). Lines collect in a large buffer that is written out when
 * full, on a timer, at close, and after every line when stdout is a terminal. A record counts as
 * produced once its bytes are written; when the output closes (a reader such as `head` exits),
 * what was still buffered and everything after it counts as dropped, and the owner is told once.
 */
public final class StdoutSink implements EventSink {
  public enum Format { JSON, TEXT }

  static final int BUFFER_BYTES = 1 << 20;
  private static final SerializedString TOPIC = new SerializedString("topic");
  private static final SerializedString RECORD = new SerializedString("record");

  private final OutputStream target;
  private final Format format;
  private final boolean flushEachLine;
  private final Lines lines = new Lines(BUFFER_BYTES);
  private final JsonGenerator json;
  private final RecordJson recordJson = new RecordJson();
  private final RecordText recordText = new RecordText();
  private final SerializedString[] topicNames = new SerializedString[Topic.values().length];
  private final ScheduledExecutorService timer;
  private final Unwritten unwritten = new Unwritten();
  private Consumer<IOException> onClosed = e -> { };
  private IOException closedBy;

  /**
   * @param target        where lines go (not closed by the sink)
   * @param flushEachLine write every line at once (an interactive terminal)
   * @param flushEvery    write what is buffered at least this often
   */
  public StdoutSink(OutputStream target, Format format, boolean flushEachLine, Duration flushEvery) {
    this.target = target;
    this.format = format;
    this.flushEachLine = flushEachLine;
    for (Topic t : Topic.values()) {
      topicNames[t.ordinal()] = new SerializedString(t.topicName());
    }
    try {
      this.json = new JsonFactory().createGenerator(lines)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    } catch (IOException e) {
      throw new IllegalStateException(e); // an in-memory target does not fail
    }
    json.setRootValueSeparator(null);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "stdout-flush");
      t.setDaemon(true);
      return t;
    });
    long every = flushEvery.toMillis();
    timer.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
  }

  /** The process's stdout: lines written at once to a terminal, else every 100 ms and when 1 MiB waits. */
  public static StdoutSink toStdout(Format format) {
    return new StdoutSink(new FileOutputStream(FileDescriptor.out), format, stdoutIsTerminal(), Duration.ofMillis(100));
  }

  /** Called once, from the thread that found it, when the output is closed (EPIPE) or fails. */
  public synchronized StdoutSink onClosed(Consumer<IOException> callback) {
    this.onClosed = callback;
    return this;
  }

  static boolean stdoutIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  @Override
  public synchronized void accept(Topic topic, SpecificRecord record, ProbeCounters counters) {
    if (closedBy != null) {
      counters.dropped.increment();
      return;
    }
    try {
      if (format == Format.JSON) {
        json.writeStartObject();
        json.writeFieldName(TOPIC);
        json.writeString(topicNames[topic.ordinal()]);
        json.writeFieldName(RECORD);
        recordJson.write(json, record);
        json.writeEndObject();
        json.writeRaw('\n');
      } else {
        recordText.write(lines, topic, record);
      }
    } catch (IOException e) {
      throw new IllegalStateException("formatting a " + topic.topicName() + " record: " + e.getMessage(), e);
    }
    unwritten.add(counters);
    if (flushEachLine || lines.size() >= BUFFER_BYTES - (64 << 10)) {
      writeOut();
    }
  }

  /** Writes the buffer to the target; its records count as produced, or as dropped if the write fails. */
  private void writeOut() {
    if (closedBy != null) {
      return;
    }
    IOException failure = null;
    try {
      json.flush(); // what the generator holds (whole lines: this runs between records) into the buffer
      if (lines.size() == 0) {
        return;
      }
      target.write(lines.bytes(), 0, lines.size());
      target.flush();
    } catch (IOException e) {
      failure = e;
    }
    unwritten.settle(failure == null);
    lines.reset();
    if (failure != null) {
      closedBy = failure;
      onClosed.accept(failure);
    }
  }

  @Override
  public synchronized void flush() {
    writeOut();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    flush();
  }

  /** Records in the buffer, by the counters they count on: produced once written, else dropped. */
  static final class Unwritten {
    private ProbeCounters[] of = new ProbeCounters[4];
    private long[] count = new long[4];
    private int sources;

    void add(ProbeCounters counters) {
      for (int i = 0; i < sources; i++) {
        if (of[i] == counters) {
          count[i]++;
          return;
        }
      }
      if (sources == of.length) {
        of = Arrays.copyOf(of, sources * 2);
        count = Arrays.copyOf(count, sources * 2);
      }
      of[sources] = counters;
      count[sources++] = 1;
    }

    void settle(boolean written) {
      for (int i = 0; i < sources; i++) {
        (written ? of[i].produced : of[i].dropped).add(count[i]);
        count[i] = 0;
      }
    }
  }

  /** The line buffer: grows past its size only for a record larger than the room left. */
  static final class Lines extends OutputStream {
    private byte[] buf;
    private int size;

    Lines(int capacity) {
      this.buf = new byte[capacity];
    }

    @Override
    public void write(int b) {
      room(1);
      buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      room(len);
      System.arraycopy(b, off, buf, size, len);
      size += len;
    }

    private void room(int n) {
      if (size + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
      }
    }

    byte[] bytes() {
      return buf;
    }

    int size() {
      return size;
    }

    void reset() {
      size = 0;
      if (buf.length > BUFFER_BYTES) {
        buf = new byte[BUFFER_BYTES]; // give back what one giant record grew it to
      }
    }
  }
}
