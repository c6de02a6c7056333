package dev.bpfstream.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** Everything the alerts job keeps in state or sends between operators is a Flink POJO: no Kryo. */
class FlinkTypesTest {
  @Test
  void operatorTypesArePojos() {
    for (Class<?> c : List.of(Observation.class, TrackerState.class, BurstWindow.class, ShortLivedExit.class,
        HealthBeat.class, SetnsEntry.class)) {
      assertThat(TypeInformation.of(c)).as(c.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
    }
  }
}
