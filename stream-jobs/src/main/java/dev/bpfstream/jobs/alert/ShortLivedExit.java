package dev.bpfstream.jobs.alert;

/** A process that lived less than a burst rule's max-lifetime, keyed for that rule's subject. */
public class ShortLivedExit {
  public String ruleId;
  /** rule id + subject key: what the burst is counted per. */
  public String key;
  public String hostId;
  public String hostname;
  public String containerId;
  public long timeNs;
  public long lifetimeNs;
  public String comm;
  public int pid;

  public ShortLivedExit() {
  }
}
