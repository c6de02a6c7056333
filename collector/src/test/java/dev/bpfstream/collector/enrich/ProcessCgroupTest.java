package dev.bpfstream.collector.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCgroupTest {
  private static final String ID = "3f4c1a8be0d2c6f7a9b1e2d3c4b5a69788f7e6d5c4b3a2910f1e2d3c4b5a6978";

  @Test
  void unifiedHierarchy() {
    ProcessCgroup c = ProcessCgroup.parse("0::/system.slice/docker-" + ID + ".scope\n");
    assertThat(c).isEqualTo(new ProcessCgroup("/system.slice/docker-" + ID + ".scope", ID));
    assertThat(ProcessCgroup.parse("0::/user.slice/user-1000.slice/session-2.scope\n"))
        .isEqualTo(new ProcessCgroup("/user.slice/user-1000.slice/session-2.scope", null));
  }

  @Test
  void hybridHostWithDockerOnCgroupfsNamesTheContainerInV1Only() {
    String content = "12:memory:/docker/" + ID + "\n11:pids:/docker/" + ID + "\n1:name=systemd:/docker/" + ID
        + "\n0::/\n";
    assertThat(ProcessCgroup.parse(content)).isEqualTo(new ProcessCgroup("/docker/" + ID, ID));
  }

  @Test
  void hostProcessOnAHybridHost() {
    String content = "9:name=systemd:/\n4:memory:/process_api/df823304c4d0f45380c6a8cc92ce4622\n0::/\n";
    assertThat(ProcessCgroup.parse(content))
        .isEqualTo(new ProcessCgroup("/process_api/df823304c4d0f45380c6a8cc92ce4622", null));
    assertThat(ProcessCgroup.parse("1:name=systemd:/\n0::/\n")).isEqualTo(new ProcessCgroup("/", null));
  }

  @Test
  void readsThisProcess() {
    ProcessCgroup self = ProcessCgroup.of((int) ProcessHandle.current().pid());
    assertThat(self).isNotNull();
    assertThat(self.path()).startsWith("/");
    assertThat(ProcessCgroup.of(-5)).isNull();
  }
}
