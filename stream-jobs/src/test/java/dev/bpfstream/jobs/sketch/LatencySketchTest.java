package dev.bpfstream.jobs.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;

import dev.bpfstream.schema.Log2Buckets;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class LatencySketchTest {

  @Test
  void percentilesAreWithinTheStatedErrorAndBucketsMaxAndMeanExact() {
    SplittableRandom r = new SplittableRandom(3);
    long[] values = new long[20_000];
    LatencySketch s = new LatencySketch();
    long[] buckets = new long[64];
    for (int i = 0; i < values.length; i++) {
      values[i] = (long) (200_000 * Math.exp(1.2 * r.nextGaussian()));
      s.record(values[i]);
      buckets[Log2Buckets.index(values[i])]++;
    }
    Arrays.sort(values);
    for (double p : new double[] {50, 90, 99, 99.9}) {
      double exact = values[(int) Math.max(1, Math.round(p / 100 * values.length)) - 1];
      assertThat((double) s.percentileNs(p)).as("p%s", p).isCloseTo(exact, within(exact * LatencySketch.PERCENTILE_ERROR));
    }
    assertThat(s.log2Buckets()).containsExactly(buckets);
    assertThat(s.maxNs()).isEqualTo(values[values.length - 1]);
    assertThat(s.meanNs()).isCloseTo(Arrays.stream(values).average().orElseThrow(), within(1e-6));
    assertThat(s.relativeError()).isEqualTo(LatencySketch.PERCENTILE_ERROR);
  }

  @Test
  void mergingPartsGivesTheSketchOfTheWhole() {
    LatencySketch whole = new LatencySketch();
    LatencySketch a = new LatencySketch();
    LatencySketch b = new LatencySketch();
    for (long v = 1; v < 5_000_000; v = v * 3 / 2 + 7) {
      whole.record(v);
      (v % 2 == 0 ? a : b).record(v);
    }
    a.merge(b);
    assertThat(a.count()).isEqualTo(whole.count());
    assertThat(a.log2Buckets()).containsExactly(whole.log2Buckets());
    assertThat(a.percentileNs(99)).isEqualTo(whole.percentileNs(99));
    assertThat(a.maxNs()).isEqualTo(whole.maxNs());
  }

  @Test
  void kernelHistogramsMergeBucketByBucketAndStateTheirCoarserError() {
    LatencySketch s = new LatencySketch();
    s.record(3000);
    long[] kernel = new long[64];
    kernel[11] = 4;
    kernel[20] = 1;
    s.recordLog2(kernel, 0);
    long[] expected = new long[64];
    expected[Log2Buckets.index(3000)] += 1;
    expected[11] += 4;
    expected[20] += 1;
    assertThat(s.log2Buckets()).containsExactly(expected);
    assertThat(s.count()).isEqualTo(6);
    assertThat(s.maxNs()).isEqualTo(Log2Buckets.upperBound(20));
    assertThat(s.relativeError()).isEqualTo(LatencySketch.KERNEL_BUCKET_ERROR);
    // Every value of a bucket is within 1/3 of the bucket's stand-in (below the 2^60 ns clamp).
    for (int i = 1; i < 60; i++) {
      long rep = LatencySketch.representative(i);
      assertThat(Math.abs(rep - Log2Buckets.lowerBound(i)) / (double) Log2Buckets.lowerBound(i)).isLessThanOrEqualTo(1 / 3.0 + 1e-9);
      assertThat(Math.abs(Log2Buckets.upperBound(i) - rep) / (double) Log2Buckets.upperBound(i)).isLessThanOrEqualTo(1 / 3.0 + 1e-9);
    }
  }

  @Test
  void serializerRoundTripsAndTheRestoredSketchKeepsGrowing() throws Exception {
    LatencySketch s = new LatencySketch();
    for (long v = 100; v < 1_000_000; v += 997) {
      s.record(v);
    }
    long[] kernel = new long[64];
    kernel[5] = 2;
    s.recordLog2(kernel, 77);
    DataOutputSerializer out = new DataOutputSerializer(256);
    LatencySketchSerializer.INSTANCE.serialize(s, out);
    LatencySketch back = LatencySketchSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back.count()).isEqualTo(s.count());
    assertThat(back.log2Buckets()).containsExactly(s.log2Buckets());
    assertThat(back.percentileNs(50)).isEqualTo(s.percentileNs(50));
    assertThat(back.meanNs()).isEqualTo(s.meanNs());
    assertThat(back.relativeError()).isEqualTo(s.relativeError());
    back.record(50_000_000_000L);
    assertThat(back.maxNs()).isEqualTo(50_000_000_000L);
    assertThat(LatencySketchSerializer.INSTANCE.snapshotConfiguration().restoreSerializer()).isSameAs(LatencySketchSerializer.INSTANCE);
  }
}
