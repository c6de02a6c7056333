package dev.bpfstream.jobs.alert;

import java.nio.charset.StandardCharsets;

import dev.bpfstream.event.Alert;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** The alerts topic's key: the alert id, so one alert's records stay in order in one partition. */
public final class AlertKey implements SerializationSchema<Alert> {
  private static final long serialVersionUID = 1L;

  @Override
  public byte[] serialize(Alert a) {
    return a.getAlertId().getBytes(StandardCharsets.UTF_8);
  }
}
