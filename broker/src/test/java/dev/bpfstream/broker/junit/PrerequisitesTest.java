package dev.bpfstream.broker.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrerequisitesTest {
  @Test
  void aCommandThatIsThereIsNotMissing() {
    assertThat(Prerequisites.commandMissing("unshare", "util-linux")).isNull();
  }

  @Test
  void aMissingCommandNamesItsPackageAndHowToInstallIt() {
    assertThat(Prerequisites.commandMissing("bpfstream-no-such-command", "util-linux"))
        .isEqualTo("needs bpfstream-no-such-command (Debian package util-linux: ./bpfstream test as root installs it, "
            + "or apt-get install util-linux)");
  }

  @Test
  void aPackageThatIsNotInTheProjectListFailsWhateverTheMachineHas() {
    assertThatThrownBy(() -> Prerequisites.commandMissing("sh", "bpfstream-unlisted-package"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Debian package bpfstream-unlisted-package (for sh) is not in .ci/debian-packages: "
            + "add it there so that ./bpfstream test installs it");
  }

  @Test
  void theListIsTheFirstWordOfEachLineWithoutComments(@TempDir Path dir) throws Exception {
    Path list = dir.resolve("debian-packages");
    Files.writeString(list, "# the tests need\nclang   # BPF objects\n\n  nftables\n");
    assertThat(Prerequisites.packages(list)).containsExactly("clang", "nftables");
  }
}
