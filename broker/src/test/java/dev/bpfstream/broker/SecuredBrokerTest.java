package dev.bpfstream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import javax.net.ssl.SSLHandshakeException;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured embedded broker: SCRAM on the client listener, mutual TLS on the controller listener,
 * credentials generated into 0600 files; a data directory made by an unsecured broker is taken over,
 * and a deleted client.properties means a new password, the old one refused.
 */
class SecuredBrokerTest {
  @TempDir
  Path dir;

  @Test
  void onlyTheGeneratedCredentialsGetInAndDeletingThemRotatesThePassword() throws Exception {
    Path kafka = dir.resolve("kafka");
    // A data directory written by an unsecured broker (as before the stack was secured).
    EmbeddedKafkaBroker.start(kafka).close();

    BrokerCredentials first = BrokerCredentials.loadOrCreate(dir);
    for (String f : new String[] {BrokerCredentials.CLIENT_FILE, BrokerCredentials.CONTROLLER_FILE, BrokerCredentials.KEY_STORE_FILE}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f)))).as(f).isEqualTo("rw-------");
    }
    Map<String, String> oldPassword;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startSecured(kafka, 0, Map.of(), first)) {
      assertThat(describe(broker.bootstrapServers(), broker.clientProperties())).isEqualTo(1);
      assertThatThrownBy(() -> describe(broker.bootstrapServers(), BrokerCredentials.clientProperties("bpfstream", "guess")))
          .hasRootCauseInstanceOf(SaslAuthenticationException.class);
      assertThatThrownBy(() -> describe(broker.bootstrapServers(), Map.of())).isInstanceOf(ExecutionException.class);

      Map<String, Object> controller = new HashMap<>(first.controllerClientProperties());
      controller.put(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, "127.0.0.1:" + broker.controllerPort());
      try (Admin admin = Admin.create(controller)) {
        assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
      }
      // Another key, not the stack's (the client trusting the stack's certificate, so the refusal is the
      // listener's): the controller and the broker's own listener refuse the handshake.
      LoopbackKeyStore stranger = LoopbackKeyStore.create(dir.resolve("stranger/tls.p12"), "stranger-password");
      Map<String, Object> strange = new HashMap<>(BrokerCredentials.sslProperties(stranger));
      strange.put("ssl.truststore.location", first.keyStore().path().toString());
      strange.put("ssl.truststore.password", first.keyStore().password());
      strange.put(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, "127.0.0.1:" + broker.controllerPort());
      assertThatThrownBy(() -> describe(null, strange)).hasRootCauseInstanceOf(SSLHandshakeException.class);
      strange.remove(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG);
      assertThatThrownBy(() -> describe("127.0.0.1:" + broker.interBrokerPort(), strange)).hasRootCauseInstanceOf(SSLHandshakeException.class);
      Map<String, Object> own = new HashMap<>(first.controllerClientProperties());
      assertThat(describe("127.0.0.1:" + broker.interBrokerPort(), own)).isEqualTo(1);
      oldPassword = first.clientProperties();
    }

    Files.delete(dir.resolve(BrokerCredentials.CLIENT_FILE));
    BrokerCredentials rotated = BrokerCredentials.loadOrCreate(dir);
    assertThat(rotated.clientProperties()).isNotEqualTo(oldPassword);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startSecured(kafka, 0, Map.of(), rotated)) {
      assertThat(describe(broker.bootstrapServers(), broker.clientProperties())).isEqualTo(1);
      assertThatThrownBy(() -> describe(broker.bootstrapServers(), oldPassword)).hasRootCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  private static int describe(String bootstrap, Map<String, ?> security) throws Exception {
    Map<String, Object> p = new HashMap<>(security);
    if (bootstrap != null) {
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    }
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin admin = Admin.create(p)) {
      return admin.describeCluster().nodes().get(20, TimeUnit.SECONDS).size();
    }
  }
}
