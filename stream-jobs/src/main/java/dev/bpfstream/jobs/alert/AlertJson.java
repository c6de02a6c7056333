package dev.bpfstream.jobs.alert;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bpfstream.event.Alert;

/** An alert as the JSON a webhook receives: the Alert record's fields, times as ISO-8601 too. */
public final class AlertJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertJson() {
  }

  public static String toJson(Alert a) {
    ObjectNode n = JSON.createObjectNode();
    n.put("alertId", a.getAlertId());
    n.put("ruleId", a.getRuleId());
    n.put("severity", a.getSeverity().name());
    n.put("state", a.getState().name());
    n.put("hostId", a.getHostId());
    n.put("containerId", a.getContainerId());
    n.put("namespace", a.getNamespace());
    n.put("subject", a.getSubject());
    n.put("figure", a.getFigure());
    if (a.getValue() != null) {
      n.put("value", a.getValue());
    } else {
      n.putNull("value");
    }
    if (a.getThreshold() != null) {
      n.put("threshold", a.getThreshold());
    } else {
      n.putNull("threshold");
    }
    n.put("windowStartNs", a.getWindowStartNs());
    n.put("windowEndNs", a.getWindowEndNs());
    n.put("firstSeenNs", a.getFirstSeenNs());
    n.put("lastSeenNs", a.getLastSeenNs());
    n.put("firstSeen", iso(a.getFirstSeenNs()));
    n.put("lastSeen", iso(a.getLastSeenNs()));
    n.put("message", a.getMessage());
    ArrayNode e = n.putArray("evidence");
    a.getEvidence().forEach(e::add);
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot write an alert as JSON", ex);
    }
  }

  static String iso(long epochNs) {
    return Instant.ofEpochSecond(0, epochNs).toString();
  }
}
