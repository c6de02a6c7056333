package dev.bpfstream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaslPlainListenerTest {
  @TempDir
  Path dir;

  @Test
  void anUnauthenticatedClientIsRefusedAndTheConfiguredOneAccepted() throws Exception {
    SaslPlainListener sasl = new SaslPlainListener(Map.of("collector", "collector-secret"));
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0, sasl.brokerOverrides())) {
      Map<String, Object> good = new HashMap<>(SaslPlainListener.clientProperties("collector", "collector-secret"));
      good.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (Admin admin = Admin.create(good)) {
        assertThat(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).hasSize(1);
      }
      Map<String, Object> wrong = new HashMap<>(SaslPlainListener.clientProperties("collector", "guess"));
      wrong.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (Admin admin = Admin.create(wrong)) {
        assertThatThrownBy(() -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
      }
      Map<String, Object> none = new HashMap<>();
      none.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      none.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
      none.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
      try (Admin admin = Admin.create(none)) {
        assertThatThrownBy(() -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
      }
    }
  }
}
