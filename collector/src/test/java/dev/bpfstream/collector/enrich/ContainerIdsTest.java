package dev.bpfstream.collector.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContainerIdsTest {
  private static final String ID = "3f4c1a8be0d2c6f7a9b1e2d3c4b5a69788f7e6d5c4b3a2910f1e2d3c4b5a6978";
  private static final String OTHER = "9d1e7c2b4a6f8e0d1c3b5a7f9e2d4c6b8a0f1e3d5c7b9a2e4d6c8b0a1f3e5d7c";
  private static final String POD = "pod5e8a1c3b-7d2f-4a6e-9b1c-0d3e5f7a9b2c";
  private static final String POD_SLICE = "pod5e8a1c3b_7d2f_4a6e_9b1c_0d3e5f7a9b2c";

  @Test
  void dockerCgroupfsAndSystemd() {
    assertThat(ContainerIds.fromCgroupPath("/docker/" + ID)).isEqualTo(ID);
    assertThat(ContainerIds.fromCgroupPath("/system.slice/docker-" + ID + ".scope")).isEqualTo(ID);
    // systemd running inside the container: its own units sit below the scope
    assertThat(ContainerIds.fromCgroupPath("/system.slice/docker-" + ID + ".scope/init.scope")).isEqualTo(ID);
  }

  @Test
  void dockerInDockerIsTheInnerContainer() {
    assertThat(ContainerIds.fromCgroupPath("/docker/" + OTHER + "/docker/" + ID)).isEqualTo(ID);
  }

  @Test
  void containerdUnderKubernetes() {
    assertThat(ContainerIds.fromCgroupPath("/kubepods/burstable/" + POD + "/" + ID)).isEqualTo(ID);
    assertThat(ContainerIds.fromCgroupPath("/kubepods/" + POD + "/" + ID)).isEqualTo(ID);
    assertThat(ContainerIds.fromCgroupPath("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-"
        + POD_SLICE + ".slice/cri-containerd-" + ID + ".scope")).isEqualTo(ID);
    assertThat(ContainerIds.fromCgroupPath("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-"
        + POD_SLICE + ".slice/cri-containerd-" + ID + ".scope")).isEqualTo(ID);
  }

  @Test
  void nerdctl() {
    assertThat(ContainerIds.fromCgroupPath("/default/" + ID)).isEqualTo(ID);
    assertThat(ContainerIds.fromCgroupPath("/system.slice/nerdctl-" + ID + ".scope")).isEqualTo(ID);
  }

  @Test
  void crioAndItsConmon() {
    String slice = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-" + POD_SLICE + ".slice/";
    assertThat(ContainerIds.fromCgroupPath(slice + "crio-" + ID + ".scope")).isEqualTo(ID);
    assertThat(ContainerIds.fromCgroupPath(slice + "crio-" + ID + ".scope/container")).isEqualTo(ID);
    assertThat(ContainerIds.fromCgroupPath(slice + "crio-conmon-" + ID + ".scope")).isNull();
    assertThat(ContainerIds.fromCgroupPath("/kubepods/burstable/" + POD + "/crio-" + ID)).isEqualTo(ID);
  }

  @Test
  void podmanRootfulRootlessAndConmon() {
    assertThat(ContainerIds.fromCgroupPath("/machine.slice/libpod-" + ID + ".scope")).isEqualTo(ID);
    assertThat(ContainerIds.fromCgroupPath("/machine.slice/libpod-" + ID + ".scope/container")).isEqualTo(ID);
    assertThat(ContainerIds.fromCgroupPath(
        "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + ID + ".scope")).isEqualTo(ID);
    assertThat(ContainerIds.fromCgroupPath("/libpod_parent/libpod-" + ID)).isEqualTo(ID);
    assertThat(ContainerIds.fromCgroupPath("/machine.slice/libpod-conmon-" + ID + ".scope")).isNull();
    assertThat(ContainerIds.fromCgroupPath(
        "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-conmon-" + ID + ".scope")).isNull();
  }

  @Test
  void plainSystemdUnitsAndHostPathsAreNotContainers() {
    assertThat(ContainerIds.fromCgroupPath("/")).isNull();
    assertThat(ContainerIds.fromCgroupPath("/init.scope")).isNull();
    assertThat(ContainerIds.fromCgroupPath("/system.slice/nginx.service")).isNull();
    assertThat(ContainerIds.fromCgroupPath("/system.slice/containerd.service")).isNull();
    assertThat(ContainerIds.fromCgroupPath("/user.slice/user-1000.slice/session-3.scope")).isNull();
    assertThat(ContainerIds.fromCgroupPath("/system.slice/run-r3a7f6c2e9b8d4c1a8e2f5b7d9c0a1e3f.scope")).isNull();
    assertThat(ContainerIds.fromCgroupPath("/kubepods/burstable/" + POD)).isNull();
    assertThat(ContainerIds.fromCgroupPath(null)).isNull();
  }

  @Test
  void idsMustBeSixtyFourLowercaseHex() {
    assertThat(ContainerIds.fromCgroupPath("/docker/" + ID.substring(1))).isNull();
    assertThat(ContainerIds.fromCgroupPath("/docker/" + ID.toUpperCase())).isNull();
    assertThat(ContainerIds.fromCgroupPath("/docker/" + ID + "0")).isNull();
    assertThat(ContainerIds.fromCgroupPath("/system.slice/docker-" + ID + ".service")).isNull();
  }
}
