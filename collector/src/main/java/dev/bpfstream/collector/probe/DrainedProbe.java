package dev.bpfstream.collector.probe;

/**
 * A probe that counts in the kernel and reports only through maps the collector drains every
 * interval ({@link #onInterval}): histograms, counters, stack counts. Nothing goes through its
 * ring (sized to one page), so it takes no rate limit, and a ring record from it is malformed.
 */
public abstract class DrainedProbe extends Probe {

  @Override
  public final boolean emitsRingRecords() {
    return false;
  }

  @Override
  public final RecordDecoder decoder(DecodeContext context) {
    return (ring, offset, length) -> {
      throw new MalformedRecordException(name() + " emits no ring records; got one of " + length + " bytes");
    };
  }

  @Override
  public abstract void onInterval(LoadedProbe loaded, DecodeContext context);
}
