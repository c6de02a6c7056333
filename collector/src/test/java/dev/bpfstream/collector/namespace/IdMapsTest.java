package dev.bpfstream.collector.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfstream.event.IdMapEntry;
import org.junit.jupiter.api.Test;

class IdMapsTest {
  @Test
  void parsesTheKernelsColumns() {
    assertThat(IdMaps.parse("         0     100000      65536\n      1000       1000          1\n"))
        .containsExactly(new IdMapEntry(0L, 100000L, 65536L), new IdMapEntry(1000L, 1000L, 1L));
    assertThat(IdMaps.parse("")).isEmpty();
  }

  @Test
  void aGoneProcessHasNoMap() {
    assertThat(IdMaps.read(-5, "uid_map")).isEmpty();
  }
}
