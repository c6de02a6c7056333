package dev.bpfstream.collector.probe;

/** The ring decoder of probes that report only through drained maps: any ring record is malformed. */
public final class NoRingRecords {
  private NoRingRecords() {
  }

  public static RecordDecoder decoder(String probe) {
    return (ring, offset, length) -> {
      throw new MalformedRecordException(probe + " emits no ring records; got one of " + length + " bytes");
    };
  }
}
