package dev.bpfstream.jobs.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.event.BlockIo;
import dev.bpfstream.event.FileOpSlow;
import dev.bpfstream.event.FileOpen;
import dev.bpfstream.event.ProcessExec;
import dev.bpfstream.event.ProcessExit;
import dev.bpfstream.event.ProfileSample;
import dev.bpfstream.event.TcpEvent;
import dev.bpfstream.fuzz.ByteMutation;
import dev.bpfstream.fuzz.RandomRecords;
import dev.bpfstream.jobs.latency.LatencyDecoder;
import dev.bpfstream.jobs.testing.CountingContext;
import dev.bpfstream.jobs.workload.WorkloadDecoder;
import dev.bpfstream.schema.SchemaStore;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The decoders' shortcuts (the hot records of this release's schemas read field by field from
 * their bytes) give the observation the full Avro decoder gives, for hostile records and for the
 * same mutated on the wire (where the full decoder's verdict, read or rejected with its reason, stands).
 */
class WireShortcutsTest {
  private static final LatencyDecoder LATENCY = new LatencyDecoder("", null);
  private static final LatencyDecoder LATENCY_FULL = (LatencyDecoder) new LatencyDecoder("", null).withoutShortcuts();
  private static final WorkloadDecoder WORKLOAD = new WorkloadDecoder("", null);
  private static final WorkloadDecoder WORKLOAD_FULL = (WorkloadDecoder) new WorkloadDecoder("", null).withoutShortcuts();

  @Example
  void theShortcutsReadThisReleasesSchemas() {
    assertThat(WireShortcuts.BLOCK_IO).isEqualTo(SchemaStore.fingerprint(BlockIo.getClassSchema()));
    assertThat(WireShortcuts.FILE_SLOW).isEqualTo(SchemaStore.fingerprint(FileOpSlow.getClassSchema()));
    assertThat(WireShortcuts.TCP).isEqualTo(SchemaStore.fingerprint(TcpEvent.getClassSchema()));
    assertThat(WireShortcuts.EXEC).isEqualTo(SchemaStore.fingerprint(ProcessExec.getClassSchema()));
    assertThat(WireShortcuts.EXIT).isEqualTo(SchemaStore.fingerprint(ProcessExit.getClassSchema()));
    assertThat(WireShortcuts.OPEN).isEqualTo(SchemaStore.fingerprint(FileOpen.getClassSchema()));
    assertThat(WireShortcuts.PROFILE).isEqualTo(SchemaStore.fingerprint(ProfileSample.getClassSchema()));
  }

  @Provide
  Arbitrary<List<ByteMutation>> mutations() {
    return ByteMutation.some();
  }

  @Property(tries = 2000)
  void hostileRecordsReadAsTheFullDecoderReadsThem(@ForAll boolean latency, @ForAll long seed, @ForAll @IntRange(max = 99) int pick) {
    Topic topic = topic(latency, pick);
    same(latency, topic, encode(topic, RandomRecords.hostile(seed).specific(topic.recordType())));
  }

  @Property(tries = 2000)
  void mutatedRecordsReadOrRejectedAsTheFullDecoderDoes(@ForAll boolean latency, @ForAll long seed, @ForAll @IntRange(max = 99) int pick,
                                                         @ForAll("mutations") List<ByteMutation> mutations) {
    Topic topic = topic(latency, pick);
    same(latency, topic, ByteMutation.applyAll(encode(topic, RandomRecords.hostile(seed).specific(topic.recordType())), mutations));
  }

  private static Topic topic(boolean latency, int pick) {
    Topic[] topics = latency ? LATENCY.topics() : WORKLOAD.topics();
    return topics[pick % topics.length];
  }

  private static void same(boolean latency, Topic topic, byte[] value) {
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(topic.topicName(), 0, 7L, "host".getBytes(), value);
    List<Observation> shortcut = latency ? decode(LATENCY, record) : decode(WORKLOAD, record);
    List<Observation> full = latency ? decode(LATENCY_FULL, record) : decode(WORKLOAD_FULL, record);
    assertThat(shortcut).hasSameSizeAs(full);
    if (!full.isEmpty()) {
      assertThat(shortcut.get(0)).usingRecursiveComparison().isEqualTo(full.get(0));
    }
  }

  private static <O extends Observation> List<Observation> decode(ObservationDecoder<O> decoder, ConsumerRecord<byte[], byte[]> record) {
    decoder.open(new CountingContext());
    List<Observation> out = new ArrayList<>();
    decoder.deserialize(record, new Collector<O>() {
      @Override
      public void collect(O o) {
        out.add(o);
      }

      @Override
      public void close() {
      }
    });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> byte[] encode(Topic topic, Object record) {
    return WireCodec.of((Class<T>) topic.recordType()).encode((T) record);
  }
}
