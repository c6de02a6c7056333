package dev.bpfstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Log2BucketsTest {

  @Test
  void bucketIsFloorOfLog2WithZeroAndOneInTheFirst() {
    assertThat(Log2Buckets.index(0)).isZero();
    assertThat(Log2Buckets.index(1)).isZero();
    assertThat(Log2Buckets.index(2)).isEqualTo(1);
    assertThat(Log2Buckets.index(3)).isEqualTo(1);
    assertThat(Log2Buckets.index(4)).isEqualTo(2);
    assertThat(Log2Buckets.index(1023)).isEqualTo(9);
    assertThat(Log2Buckets.index(1024)).isEqualTo(10);
    assertThat(Log2Buckets.index(Long.MAX_VALUE)).isEqualTo(62);
  }

  @Test
  void boundsEncloseEveryValueOfTheirBucket() {
    for (int i = 0; i < Log2Buckets.COUNT - 1; i++) {
      assertThat(Log2Buckets.index(Log2Buckets.lowerBound(i))).isEqualTo(i);
      assertThat(Log2Buckets.index(Log2Buckets.upperBound(i))).isEqualTo(i);
    }
  }
}
