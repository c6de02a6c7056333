package dev.bpfstream.jobs.typeinfo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfstream.event.LatencyKind;
import dev.bpfstream.event.TcpEventType;
import dev.bpfstream.jobs.latency.LatencyAccumulator;
import dev.bpfstream.jobs.latency.LatencyAccumulatorSerializer;
import dev.bpfstream.jobs.workload.Figures;
import dev.bpfstream.jobs.workload.WorkloadAccumulator;
import dev.bpfstream.jobs.workload.WorkloadAccumulatorSerializer;
import dev.bpfstream.jobs.workload.WorkloadFolder;
import dev.bpfstream.jobs.workload.WorkloadObservation;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** State and records never fall back to Kryo, and our serializers round-trip. */
class SerializersTest {

  @Test
  void accumulatorsHaveTheirOwnSerializersAndObservationsArePojos() {
    assertThat(TypeInformation.of(LatencyAccumulator.class)).isNotInstanceOf(GenericTypeInfo.class)
        .isInstanceOf(SerializerTypeInfo.class);
    assertThat(TypeInformation.of(WorkloadAccumulator.class)).isInstanceOf(SerializerTypeInfo.class);
    assertThat(TypeInformation.of(WorkloadObservation.class)).isInstanceOf(PojoTypeInfo.class);
    assertThat(TypeInformation.of(dev.bpfstream.jobs.latency.LatencyObservation.class)).isInstanceOf(PojoTypeInfo.class);
    assertThat(TypeInformation.of(dev.bpfstream.jobs.completeness.LossReport.class)).isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void latencyAccumulatorRoundTrips() throws Exception {
    LatencyAccumulator a = new LatencyAccumulator("h1", "h1.local", 10_000, 10_000);
    a.sketch(LatencyKind.BLOCK_IO, "device", "vda").record(12345);
    a.sketch(LatencyKind.RUNQ, "all", "all").record(77);
    LatencyAccumulator back = roundTrip(LatencyAccumulatorSerializer.INSTANCE, a);
    assertThat(back.hostId()).isEqualTo("h1");
    assertThat(back.windowStartMs()).isEqualTo(10_000);
    assertThat(back.sketches()).hasSize(2);
    assertThat(back.sketch(LatencyKind.BLOCK_IO, "device", "vda").maxNs()).isEqualTo(12345);
    assertThat(LatencyAccumulatorSerializer.INSTANCE.copy(a).sketches()).hasSize(2);
  }

  @Test
  void workloadAccumulatorRoundTrips() throws Exception {
    WorkloadAccumulator a = new WorkloadAccumulator("h1", "h1.local", 0, 1000);
    WorkloadObservation o = new WorkloadObservation();
    o.kind = WorkloadObservation.Kind.TCP;
    o.tcpType = TcpEventType.CONNECT;
    o.remote = "10.0.0.1";
    o.comm = "curl";
    o.pid = 7;
    o.uid = 1000;
    o.containerId = "c1";
    o.bytes = 10;
    new WorkloadFolder().fold(o, a);
    WorkloadAccumulator back = roundTrip(WorkloadAccumulatorSerializer.INSTANCE, a);
    assertThat(back.eventCount()).isEqualTo(1);
    assertThat(back.groups()).containsOnlyKeys("container:c1");
    assertThat(Figures.of(back.total(), 1000)).containsEntry("tcp_connects_per_s", 1.0);
    WorkloadAccumulator fleet = back.toFleet();
    fleet.merge(roundTrip(WorkloadAccumulatorSerializer.INSTANCE, a).toFleet());
    assertThat(fleet.total().commands().top(1)).containsExactly(new dev.bpfstream.event.CommandEntry("curl", "", 1L, 2L, 20L, 0L));
  }

  @Test
  void stringsAreWrittenInFlinksOwnEncodingByteForByte() throws Exception {
    java.util.Random r = new java.util.Random(15);
    java.util.List<String> strings = new java.util.ArrayList<>(java.util.Arrays.asList(
        null, "", "a", "web-1", "é\u2028😀", "x".repeat(126), "x".repeat(127), "y".repeat(16_383), "z".repeat(16_384)));
    for (int i = 0; i < 200; i++) {
      char[] c = new char[r.nextInt(300)];
      for (int j = 0; j < c.length; j++) {
        c[j] = (char) (r.nextBoolean() ? r.nextInt(0x80) : r.nextInt(0x10000));
      }
      strings.add(new String(c));
    }
    for (String s : strings) {
      DataOutputSerializer ours = new DataOutputSerializer(16);
      DataOutputSerializer flinks = new DataOutputSerializer(16);
      MutableSerializer.writeString(s, ours);
      org.apache.flink.types.StringValue.writeString(s, flinks);
      assertThat(ours.getCopyOfBuffer()).isEqualTo(flinks.getCopyOfBuffer());
      assertThat(MutableSerializer.readString(new DataInputDeserializer(ours.getCopyOfBuffer()))).isEqualTo(s);
    }
  }

  static <T> T roundTrip(TypeSerializer<T> s, T value) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(128);
    s.serialize(value, out);
    return s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }
}
