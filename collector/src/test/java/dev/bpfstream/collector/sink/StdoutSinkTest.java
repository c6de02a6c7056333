package dev.bpfstream.collector.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.event.FileOp;
import dev.bpfstream.event.FileOpSlow;
import dev.bpfstream.event.FileOpen;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.RunqLengthHistogram;
import dev.bpfstream.event.TaskContext;
import dev.bpfstream.schema.Topic;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class StdoutSinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ProbeCounters counters = new ProbeCounters("test");

  @Test
  void everyTopicsRecordIsOneJsonLineWithTheAvroFieldNamesInSchemaOrder() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Topic> topics = new ArrayList<>(List.of(Topic.values()));
    try (StdoutSink sink = new StdoutSink(out, StdoutSink.Format.JSON, false, Duration.ofHours(1))) {
      for (Topic t : topics) {
        sink.accept(t, (SpecificRecord) filled(SpecificData.get().getSchema(t.recordType())), counters);
      }
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(topics.size());
    for (int i = 0; i < lines.length; i++) {
      JsonNode line = JSON.readTree(lines[i]);
      assertThat(fieldNames(line)).containsExactly("topic", "record");
      assertThat(line.get("topic").asText()).isEqualTo(topics.get(i).topicName());
      assertSameLayout(SpecificData.get().getSchema(topics.get(i).recordType()), line.get("record"), topics.get(i).topicName());
    }
    assertThat(counters.produced.sum()).isEqualTo(topics.size());
  }

  @Test
  void enumsAreSymbolsUnionsTheirValueAndNumbersJsonCannotHoldAreNull() throws Exception {
    FileOpSlow slow = (FileOpSlow) filled(FileOpSlow.getClassSchema());
    slow.setOp(FileOp.FSYNC);
    slow.getCtx().setContainerId("c0ffee");
    slow.setPath("a \"quoted\"\npath\t\u00e9");
    RunqLengthHistogram runq = (RunqLengthHistogram) filled(RunqLengthHistogram.getClassSchema());
    runq.setMeanWaiting(Double.NaN);
    runq.setOccupancyPercent(12.5);
    runq.setWaiting(List.of(3L, 2L, 1L));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (StdoutSink sink = new StdoutSink(out, StdoutSink.Format.JSON, false, Duration.ofHours(1))) {
      sink.accept(Topic.FILE_SLOW, slow, counters);
      sink.accept(Topic.RUNQ_LEN, runq, counters);
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    JsonNode s = JSON.readTree(lines[0]).get("record");
    assertThat(s.get("op").asText()).isEqualTo("FSYNC");
    assertThat(s.get("ctx").get("containerId").asText()).isEqualTo("c0ffee");
    assertThat(s.get("path").asText()).isEqualTo("a \"quoted\"\npath\t\u00e9");
    JsonNode r = JSON.readTree(lines[1]).get("record");
    assertThat(r.get("meanWaiting").isNull()).isTrue();
    assertThat(r.get("occupancyPercent").asDouble()).isEqualTo(12.5);
    assertThat(r.get("waiting").toString()).isEqualTo("[3,2,1]");
  }

  @Test
  void textIsOneAlignedLinePerRecordWithTheSnoopToolsColumns() {
    FileOpen open = (FileOpen) filled(FileOpen.getClassSchema());
    open.getCtx().setPid(4242);
    open.getCtx().setComm("cat");
    open.setPath("/etc/shadow");
    open.setFd(-1);
    open.setErrno(13);
    ProcessExec exec = (ProcessExec) filled(ProcessExec.getClassSchema());
    exec.getCtx().setPid(77);
    exec.getCtx().setComm("bash");
    exec.setArgv(List.of("echo", "two\nlines"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (StdoutSink sink = new StdoutSink(out, StdoutSink.Format.TEXT, false, Duration.ofHours(1))) {
      sink.accept(Topic.OPEN, open, counters);
      sink.accept(Topic.EXEC, exec, counters);
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("TIME").contains("EVENT").contains("PID").contains("COMM").endsWith("DETAIL");
    assertThat(lines[1]).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} open +4242 cat +fd=-1 errno=13 /etc/shadow");
    assertThat(lines[2]).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} exec +77 bash +retval=0 echo two\\\\nlines");
    int detail = lines[0].indexOf("DETAIL");
    assertThat(lines[1].indexOf("fd=")).isEqualTo(detail);
    assertThat(lines[2].indexOf("retval=")).isEqualTo(detail);
    assertThat(lines[1].indexOf("4242") + 4).isEqualTo(lines[0].indexOf("PID") + 3);
  }

  @Test
  void whenTheOutputClosesWhatWasNotWrittenCountsAsDroppedAndTheOwnerIsToldOnce() {
    AtomicInteger told = new AtomicInteger();
    OutputStream closedPipe = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }
    };
    try (StdoutSink sink = new StdoutSink(closedPipe, StdoutSink.Format.JSON, false, Duration.ofHours(1))) {
      sink.onClosed(e -> told.incrementAndGet());
      for (int i = 0; i < 3; i++) {
        sink.accept(Topic.OPEN, (SpecificRecord) filled(FileOpen.getClassSchema()), counters);
      }
      sink.flush();
      sink.accept(Topic.OPEN, (SpecificRecord) filled(FileOpen.getClassSchema()), counters);
      sink.flush();
    }
    assertThat(told.get()).isEqualTo(1);
    assertThat(counters.produced.sum()).isZero();
    assertThat(counters.dropped.sum()).isEqualTo(4);
  }

  @Test
  void aTerminalGetsEachLineAtOnceAFileOrPipeWithinTheFlushInterval() throws Exception {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    ByteArrayOutputStream pipe = new ByteArrayOutputStream();
    try (StdoutSink atOnce = new StdoutSink(terminal, StdoutSink.Format.TEXT, true, Duration.ofHours(1));
         StdoutSink timed = new StdoutSink(pipe, StdoutSink.Format.JSON, false, Duration.ofMillis(50))) {
      SpecificRecord r = (SpecificRecord) filled(FileOpen.getClassSchema());
      atOnce.accept(Topic.OPEN, r, counters);
      synchronized (terminal) {
        assertThat(terminal.size()).isPositive();
      }
      timed.accept(Topic.OPEN, r, counters);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (pipe.size() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(pipe.toString(StandardCharsets.UTF_8)).as("written by the timer, before close").endsWith("}\n");
      assertThat(counters.produced.sum()).isEqualTo(2);
    }
  }

  private static void assertSameLayout(Schema schema, JsonNode node, String where) {
    switch (schema.getType()) {
      case RECORD -> {
        assertThat(fieldNames(node)).as(where).containsExactlyElementsOf(schema.getFields().stream().map(Schema.Field::name).toList());
        for (Schema.Field f : schema.getFields()) {
          assertSameLayout(f.schema(), node.get(f.name()), where + "." + f.name());
        }
      }
      case UNION -> assertThat(node.isNull() || node.isValueNode() || node.isContainerNode()).as(where).isTrue();
      case ENUM -> assertThat(schema.getEnumSymbols()).as(where).contains(node.asText());
      case STRING -> assertThat(node.isTextual()).as(where).isTrue();
      case INT, LONG -> assertThat(node.isIntegralNumber()).as(where).isTrue();
      case DOUBLE, FLOAT -> assertThat(node.isNumber()).as(where).isTrue();
      case BOOLEAN -> assertThat(node.isBoolean()).as(where).isTrue();
      case ARRAY -> assertThat(node.isArray()).as(where).isTrue();
      case MAP -> assertThat(node.isObject()).as(where).isTrue();
      default -> { }
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  /** A record of the schema's generated class with every field set: zeros, empty strings, first symbols, null unions. */
  static Object filled(Schema schema) {
    return switch (schema.getType()) {
      case RECORD -> {
        SpecificRecord r = (SpecificRecord) SpecificData.get().newRecord(null, schema);
        for (Schema.Field f : schema.getFields()) {
          r.put(f.pos(), filled(f.schema()));
        }
        yield r;
      }
      case STRING -> "";
      case INT -> 0;
      case LONG -> 0L;
      case DOUBLE -> 0.0;
      case FLOAT -> 0.0f;
      case BOOLEAN -> false;
      case ENUM -> SpecificData.get().createEnum(schema.getEnumSymbols().get(0), schema);
      case ARRAY -> new ArrayList<>();
      case MAP -> Map.of();
      case UNION, NULL -> null;
      default -> throw new IllegalArgumentException("no field of type " + schema.getType() + " in the collector's records");
    };
  }
}
