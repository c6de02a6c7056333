package dev.bpfstream.jobs.alert;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one rule saw about one subject: a summary window's figure (windowed rules, judged by the
 * tracker) or a matching event / silence (pattern and absence rules, already judged: {@code matched}).
 * A Flink POJO: public fields and a no-argument constructor, so no Kryo.
 */
public class Observation {
  /** The rule id and subject key: one alert lives per alert id. */
  public String alertId;
  public String ruleId;
  public boolean windowed;
  /** Event observations: the condition holds (true) or has ended (false). */
  public boolean matched;
  public String hostId;
  public String hostname;
  public String containerId;
  public String namespace;
  /** Readable subject: "host web-1 device vda". */
  public String subject;
  public String figure;
  public Double value;
  public Double threshold;
  /** Windowed: the summary's window. Events: both are the event time. Epoch ns. */
  public long windowStartNs;
  public long windowEndNs;
  /** Events: what happened, one line. */
  public String message;
  public String[] evidence = new String[0];

  public Observation() {
  }

  public static Observation windowed(String ruleId, String subjectKey) {
    Observation o = new Observation();
    o.ruleId = ruleId;
    o.alertId = ruleId + "/" + subjectKey;
    o.windowed = true;
    return o;
  }

  public static Observation event(String ruleId, String subjectKey, boolean matched, long timeNs) {
    Observation o = new Observation();
    o.ruleId = ruleId;
    o.alertId = ruleId + "/" + subjectKey;
    o.matched = matched;
    o.windowStartNs = timeNs;
    o.windowEndNs = timeNs;
    return o;
  }

  public Observation where(String hostId, String hostname, String containerId, String namespace, String subject) {
    this.hostId = hostId;
    this.hostname = hostname;
    this.containerId = containerId;
    this.namespace = namespace;
    this.subject = subject;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Observation other)) {
      return false;
    }
    return windowed == other.windowed && matched == other.matched && windowStartNs == other.windowStartNs
        && windowEndNs == other.windowEndNs && Objects.equals(alertId, other.alertId) && Objects.equals(ruleId, other.ruleId)
        && Objects.equals(hostId, other.hostId) && Objects.equals(hostname, other.hostname)
        && Objects.equals(containerId, other.containerId) && Objects.equals(namespace, other.namespace)
        && Objects.equals(subject, other.subject) && Objects.equals(figure, other.figure)
        && Objects.equals(value, other.value) && Objects.equals(threshold, other.threshold)
        && Objects.equals(message, other.message) && Arrays.equals(evidence, other.evidence);
  }

  @Override
  public int hashCode() {
    return Objects.hash(alertId, windowEndNs, matched);
  }

  @Override
  public String toString() {
    return "Observation{" + alertId + (windowed ? " value=" + value : " matched=" + matched) + " @" + windowEndNs + "}";
  }
}
