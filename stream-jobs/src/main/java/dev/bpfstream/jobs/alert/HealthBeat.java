package dev.bpfstream.jobs.alert;

/** One collector.health record seen by one absence rule. */
public class HealthBeat {
  public String ruleId;
  /** rule id + host id. */
  public String key;
  public String hostId;
  public String hostname;
  public long timeNs;
  public long intervalNs;
  public String version;

  public HealthBeat() {
  }
}
