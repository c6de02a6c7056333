package dev.bpfstream.collector.namespace;

import static dev.bpfstream.collector.testing.ChildProcesses.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.bpf.NamespaceFile;
import dev.bpfstream.collector.testing.ChildProcesses;
import org.junit.jupiter.api.Test;

class UtsNameReaderTest {
  @Test
  void readsAForeignNamespaceWithoutMovingTheCaller() throws Exception {
    Prerequisites.require(Prerequisites.rootMissing());
    try (ChildProcesses children = new ChildProcesses(); UtsNameReader reader = new UtsNameReader()) {
      Process child = children.start("unshare", "--uts", "sh", "-c", "hostname reader-ns; domainname reader-dom; exec sleep 30");
      await(child, "sleep");
      String callerUts = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/uts")).toString();
      try (NamespaceFile f = NamespaceFile.open(Path.of("/proc/" + child.pid() + "/ns/uts"))) {
        UtsNameReader.UtsNames n = reader.read(f);
        assertThat(n.nodename()).isEqualTo("reader-ns");
        assertThat(n.domainname()).isEqualTo("reader-dom");
      }
      assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/uts")).toString()).isEqualTo(callerUts);
      assertThat(reader.replacedWorkers()).isZero();
    }
  }

  @Test
  void aWorkerFoundOutsideItsNamespaceIsReplaced() throws Exception {
    Prerequisites.require(Prerequisites.rootMissing());
    try (ChildProcesses children = new ChildProcesses(); UtsNameReader reader = new UtsNameReader()) {
      Process child = children.start("unshare", "--uts", "sh", "-c", "hostname stray-ns; exec sleep 30");
      await(child, "sleep");
      String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      try (NamespaceFile self = NamespaceFile.open(Path.of("/proc/self/ns/uts"));
           NamespaceFile foreign = NamespaceFile.open(Path.of("/proc/" + child.pid() + "/ns/uts"))) {
        assertThat(reader.read(self).nodename()).isEqualTo(host);
        reader.onWorker(() -> foreign.enter(NamespaceFile.CLONE_NEWUTS)); // strand the worker

        assertThat(reader.read(self).nodename()).isEqualTo(host);
        assertThat(reader.replacedWorkers()).isEqualTo(1);
        assertThat(reader.read(foreign).nodename()).isEqualTo("stray-ns");
        assertThat(reader.replacedWorkers()).isEqualTo(1);
      }
    }
  }
}
