package dev.bpfstream.collector.sink;

import java.nio.charset.StandardCharsets;

import dev.bpfstream.event.NamespaceMetadata;
import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecord;

/** Kafka keys as the Topic catalog defines them. */
final class RecordKeys {
  private final byte[] hostKey;
  private final String hostId;

  RecordKeys(String hostId) {
    this.hostId = hostId;
    this.hostKey = hostId.getBytes(StandardCharsets.UTF_8);
  }

  byte[] key(Topic topic, SpecificRecord record) {
    if (topic.key() == Topic.Key.HOST_NAMESPACE && record instanceof NamespaceMetadata m) {
      return (hostId + "/" + m.getKind() + "/" + m.getInode()).getBytes(StandardCharsets.UTF_8);
    }
    return hostKey;
  }
}
