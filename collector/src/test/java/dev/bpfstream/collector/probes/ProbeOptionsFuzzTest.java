package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.ProbeOption;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.fuzz.BoundedCall;
import dev.bpfstream.fuzz.TextMutation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * `--probe-option probe.key=value` with hostile values: every option of every probe with a valid
 * value, then mutated (huge numbers, unit typos, stray characters), and random text. An assignment is
 * refused with one line starting with the option, or taken with a value inside the option's bounds.
 */
class ProbeOptionsFuzzTest {
  private static final BoundedCall CALLS = new BoundedCall(Duration.ofSeconds(10));

  @Provide
  Arbitrary<List<String>> validAssignments() {
    List<String> all = new ArrayList<>();
    for (String name : ProbeCatalog.names()) {
      Probe p = ProbeCatalog.create(name);
      for (ProbeOption o : p.options()) {
        all.add(name + "." + o.key() + "=" + o.defaultValue());
        switch (o.kind()) {
          case DURATION -> all.addAll(List.of(name + "." + o.key() + "=250us", name + "." + o.key() + "=2s"));
          case SIZE -> all.add(name + "." + o.key() + "=" + o.max() / 1024 + "K");
          case COUNT -> all.add(name + "." + o.key() + "=" + o.min());
          case BOOLEAN -> all.add(name + "." + o.key() + "=yes");
          case LIST -> all.add(name + "." + o.key() + "=a,b");
        }
      }
    }
    return Arbitraries.of(all).list().ofMinSize(1).ofMaxSize(3);
  }

  @Provide
  Arbitrary<List<TextMutation>> mutations() {
    return TextMutation.some();
  }

  @Property(tries = 3000)
  void mutatedAssignmentsAreRefusedInOneLineOrTakenWithinBounds(@ForAll("validAssignments") List<String> valid,
                                                                @ForAll("mutations") List<TextMutation> mutations) {
    List<String> assignments = new ArrayList<>(valid);
    int i = Math.floorMod(mutations.hashCode(), assignments.size());
    assignments.set(i, TextMutation.applyAll(assignments.get(i), mutations));
    check(assignments);
  }

  @Property(tries = 1000)
  void randomTextIsRefusedInOneLineOrTakenWithinBounds(@ForAll String assignment) {
    check(List.of(assignment));
  }

  private static void check(List<String> assignments) {
    BoundedCall.Outcome<ProbeOptions> o = CALLS.run(() -> ProbeCatalog.options(assignments), assignments);
    if (o.thrown() != null) {
      assertThat(o.thrown()).as("for %s", assignments).isExactlyInstanceOf(IllegalArgumentException.class);
      assertThat(o.thrown().getMessage()).startsWith("--probe-option ").doesNotContain("\n", "\r").hasSizeLessThan(2000);
      return;
    }
    for (String name : ProbeCatalog.names()) {
      Probe p = ProbeCatalog.create(name);
      for (ProbeOption def : p.options()) {
        switch (def.kind()) {
          case DURATION -> assertThat(o.value().duration(p, def.key()).toNanos()).as(name + "." + def.key() + " in " + assignments)
              .isBetween(def.min(), def.max());
          case SIZE, COUNT -> assertThat(o.value().number(p, def.key())).as(name + "." + def.key() + " in " + assignments)
              .isBetween(def.min(), def.max());
          case BOOLEAN -> o.value().flag(p, def.key());
          case LIST -> {
            List<String> items = o.value().list(p, def.key());
            assertThat(items).hasSizeLessThanOrEqualTo((int) def.min()).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo((int) def.max()));
          }
        }
      }
    }
  }
}
