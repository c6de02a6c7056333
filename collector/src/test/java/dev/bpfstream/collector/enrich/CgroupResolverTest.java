package dev.bpfstream.collector.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.testing.TestCgroup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against real cgroup v2 directories this test makes and removes. */
class CgroupResolverTest {
  private static final String ID = "5b0e3c9a7d1f4e2b8c6a0d9e1f3b5c7a9e2d4f6b8a0c1e3d5f7b9a2c4e6d8f0a";
  private static final String ID2 = "c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2";
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  @BeforeEach
  void root() {
    Prerequisites.require(Prerequisites.rootMissing());
  }

  @Test
  void resolvesANewCgroupAtOnceByItsFileHandle() throws Exception {
    try (TestCgroup cg = new TestCgroup(); CgroupResolver r = CgroupResolver.forHost()) {
      Path scope = cg.create("docker-" + ID + ".scope");
      Path service = cg.create("plain.service");

      CgroupResolver.Cgroup c = r.resolve(TestCgroup.inode(scope));
      assertThat(c.path()).isEqualTo(cg.cgroupPath(scope));
      assertThat(c.containerId()).isEqualTo(ID);
      assertThat(r.containerId(TestCgroup.inode(service))).isNull();
      assertThat(r.resolve(TestCgroup.inode(service)).path()).isEqualTo(cg.cgroupPath(service));
      assertThat(r.resolve(TestCgroup.inode(CgroupMount.unified())).path()).isEqualTo("/");
      assertThat(r.resolve(Long.MAX_VALUE)).isNull();

      // A cgroup made after the first lookups resolves at its first lookup, no walk needed.
      Path later = cg.create("docker-" + ID2 + ".scope");
      long laterId = TestCgroup.inode(later);
      assertThat(r.containerId(laterId)).isEqualTo(ID2);
      CgroupResolver.Stats st = r.stats();
      assertThat(st.handles()).isTrue();
      assertThat(st.byHandle()).isEqualTo(4);
      assertThat(st.walks()).isZero();
      assertThat(st.unresolved()).isEqualTo(1);

      // Removed: still answered from the cache, so late events of a gone container resolve.
      cg.remove(later);
      assertThat(r.containerId(laterId)).isEqualTo(ID2);
    }
  }

  @Test
  void aFullCacheIsClearedAndCounted() throws Exception {
    try (TestCgroup cg = new TestCgroup();
         CgroupResolver r = new CgroupResolver(CgroupMount.unified(), Duration.ofSeconds(1), 2)) {
      for (int i = 0; i < 3; i++) {
        Path p = cg.create("svc-" + i + ".service");
        assertThat(r.resolve(TestCgroup.inode(p)).path()).isEqualTo(cg.cgroupPath(p));
      }
      assertThat(r.stats().evicted()).isEqualTo(2);
      assertThat(r.stats().cached()).isEqualTo(1);
    }
  }

  @Test
  void walksTheRealHostMountWhenHandlesAreNotUsed() throws Exception {
    try (TestCgroup cg = new TestCgroup()) {
      Path scope = cg.create("docker-" + ID + ".scope");
      CgroupResolver r = new CgroupResolver(CgroupMount.unified(), Duration.ofSeconds(1), 65_536, clock::get, false);
      assertThat(r.resolve(TestCgroup.inode(scope))).isEqualTo(
          new CgroupResolver.Cgroup(TestCgroup.inode(scope), cg.cgroupPath(scope), ID));
      assertThat(r.resolve(TestCgroup.inode(CgroupMount.unified())).path()).isEqualTo("/");
      assertThat(r.stats().walks()).isEqualTo(1);
      assertThat(r.stats().handles()).isFalse();
    }
  }

  @Test
  void aMissRescansAtMostOncePerInterval() throws Exception {
    try (TestCgroup cg = new TestCgroup()) {
      Path first = cg.create("docker-" + ID + ".scope");
      CgroupResolver r = new CgroupResolver(CgroupMount.unified(), Duration.ofSeconds(1), 65_536, clock::get, false);
      assertThat(r.containerId(TestCgroup.inode(first))).isEqualTo(ID);

      Path second = cg.create("docker-" + ID2 + ".scope");
      long secondId = TestCgroup.inode(second);
      clock.addAndGet(Duration.ofMillis(500).toNanos());
      assertThat(r.resolve(secondId)).isNull(); // a walk is not due yet
      assertThat(r.resolve(secondId)).isNull();
      assertThat(r.stats().walks()).isEqualTo(1);
      assertThat(r.stats().unresolved()).isEqualTo(2);

      clock.addAndGet(Duration.ofMillis(500).toNanos());
      assertThat(r.containerId(secondId)).isEqualTo(ID2);
      assertThat(r.stats().walks()).isEqualTo(2);
      assertThat(r.containerId(TestCgroup.inode(first))).isEqualTo(ID); // a hit: no walk
      assertThat(r.stats().walks()).isEqualTo(2);
    }
  }

  @Test
  void aRemovedCgroupResolvesForOneMoreWalkThenIsForgotten() throws Exception {
    try (TestCgroup cg = new TestCgroup()) {
      Path scope = cg.create("docker-" + ID + ".scope");
      long id = TestCgroup.inode(scope);
      CgroupResolver r = new CgroupResolver(CgroupMount.unified(), Duration.ofSeconds(1), 65_536, clock::get, false);
      assertThat(r.containerId(id)).isEqualTo(ID);
      cg.remove(scope);

      clock.addAndGet(Duration.ofSeconds(1).toNanos());
      assertThat(r.resolve(Long.MAX_VALUE)).isNull(); // a miss: walks again
      assertThat(r.containerId(id)).isEqualTo(ID); // the late exit of a container still resolves

      clock.addAndGet(Duration.ofSeconds(1).toNanos());
      assertThat(r.resolve(Long.MAX_VALUE)).isNull();
      assertThat(r.stats().walks()).isEqualTo(3);
      clock.addAndGet(Duration.ofSeconds(1).toNanos());
      assertThat(r.resolve(id)).isNull();
    }
  }

  @Test
  void aWalkIsBoundedAndCountsWhatItLeftOut() throws Exception {
    try (TestCgroup cg = new TestCgroup()) {
      for (int i = 0; i < 3; i++) {
        cg.create("svc-" + i + ".service");
      }
      // Rooted at the test directory: 4 cgroups there, room for 2.
      CgroupResolver r = new CgroupResolver(cg.root(), Duration.ofSeconds(1), 2, clock::get, false);
      assertThat(r.resolve(TestCgroup.inode(cg.root())).path()).isEqualTo("/");
      assertThat(r.stats().cached()).isEqualTo(2);
      assertThat(r.stats().overflow()).isEqualTo(2);
    }
  }
}
