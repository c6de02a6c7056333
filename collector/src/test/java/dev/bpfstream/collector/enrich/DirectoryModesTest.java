package dev.bpfstream.collector.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DirectoryModesTest {
  private final DirectoryModes modes = new DirectoryModes(16);
  private final int self = (int) ProcessHandle.current().pid();
  private static final long MNT = 4026531841L;

  @Test
  void aSymlinkedDirectoryReportsItsTargetsModeNotTheLinks() throws Exception {
    Path dir = Files.createTempDirectory("modes");
    try {
      Path real = Files.createDirectory(dir.resolve("real"));
      Files.setPosixFilePermissions(real, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.createSymbolicLink(dir.resolve("link"), real);
      int mode = modes.modeOfParent(self, MNT, dir.resolve("link").resolve("tool").toString());
      assertThat(mode & 0777).isEqualTo(0755);
    } finally {
      Files.deleteIfExists(dir.resolve("link"));
      Files.deleteIfExists(dir.resolve("real"));
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void aWorldWritableDirectoryShowsItsWriteBit() {
    assertThat(modes.modeOfParent(self, MNT, "/tmp/x") & 0002).isNotZero();
    assertThat(modes.modeOfParent(self, MNT, "/usr/bin/true") & 0002).isZero();
  }

  @Test
  void aRelativePathOrAGoneProcessIsUnknown() {
    assertThat(modes.modeOfParent(self, MNT, "true")).isZero();
    assertThat(modes.modeOfParent(Integer.MAX_VALUE, MNT, "/usr/bin/true")).isZero();
  }

  @Test
  void aDirectorySeenBeforeInTheSameMountNamespaceNeedsNoLiveProcess() {
    assertThat(modes.modeOfParent(self, MNT, "/tmp/first") & 0002).isNotZero();
    assertThat(modes.modeOfParent(Integer.MAX_VALUE, MNT, "/tmp/second") & 0002).as("from the cache").isNotZero();
    assertThat(modes.modeOfParent(Integer.MAX_VALUE, MNT + 1, "/tmp/second")).as("another mount namespace").isZero();
  }
}
