package dev.bpfstream.jobs.alert;

import dev.bpfstream.event.Alert;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each alert record to a webhook as JSON ({@link AlertJson}). An alert the webhook did not
 * take after the retries is logged and counted ({@code webhookDropped}); it is still on the alerts
 * topic, which stays the record of truth. Delivery is synchronous, so a slow webhook slows the job
 * rather than piling up alerts in memory.
 */
public final class WebhookSink implements Sink<Alert> {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(WebhookSink.class);

  private final WebhookClient.Settings settings;

  public WebhookSink(WebhookClient.Settings settings) {
    this.settings = settings;
  }

  @Override
  public SinkWriter<Alert> createWriter(WriterInitContext context) {
    return new Writer(new WebhookClient(settings),
        context.metricGroup().counter("webhookDelivered"),
        context.metricGroup().counter("webhookRetries"),
        context.metricGroup().counter("webhookDropped"));
  }

  static final class Writer implements SinkWriter<Alert> {
    private final WebhookClient client;
    private final Counter delivered;
    private final Counter retries;
    private final Counter dropped;

    Writer(WebhookClient client, Counter delivered, Counter retries, Counter dropped) {
      this.client = client;
      this.delivered = delivered;
      this.retries = retries;
      this.dropped = dropped;
    }

    @Override
    public void write(Alert alert, Context context) throws InterruptedException {
      WebhookClient.Delivery d = client.post(AlertJson.toJson(alert));
      retries.inc(d.attempts() - 1);
      if (d.delivered()) {
        delivered.inc();
      } else {
        dropped.inc();
        log.warn("webhook did not take alert {} ({}) after {} attempts: {}", alert.getAlertId(), alert.getState(), d.attempts(), d.failure());
      }
    }

    @Override
    public void flush(boolean endOfInput) {
    }

    @Override
    public void close() {
    }
  }
}
