package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.ProbeSettings;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.event.TcpEvent;
import dev.bpfstream.event.TcpEventType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** tcpconnect/tcpaccept/tcplife on loopback: a Java client and server in this JVM, IPv4 and IPv6. */
class TcpProbeTest {
  private static final int SENT = 1000;
  private static final int REPLY = 300;

  @BeforeAll
  static void bpfAvailable() {
    RunningProbe.requireBpf();
  }

  @ParameterizedTest
  @CsvSource({"127.0.0.1, 4", "::1, 6"})
  void oneConnectOneAcceptWithMatchingPortsAndClosesWithTheBytesTransferred(String loopback, int family) throws Exception {
    InetAddress address = InetAddress.getByName(loopback);
    // The client and server are this JVM: trace it (the collector's own sockets are skipped by default).
    ProbeSettings settings = ProbeSettings.tracingOwnProcess();
    long self = ProcessHandle.current().pid();
    try (RunningProbe probe = RunningProbe.start(new TcpProbe(), settings, ProbeOptions.none())) {
      int serverPort;
      int clientPort;
      try (ServerSocket server = new ServerSocket()) {
        server.bind(new InetSocketAddress(address, 0));
        serverPort = server.getLocalPort();
        CompletableFuture<Void> served = CompletableFuture.runAsync(() -> serve(server));
        try (Socket client = new Socket()) {
          client.connect(new InetSocketAddress(address, serverPort), 5000);
          clientPort = client.getLocalPort();
          OutputStream out = client.getOutputStream();
          out.write(new byte[SENT]);
          out.flush();
          InputStream in = client.getInputStream();
          assertThat(in.readNBytes(REPLY)).hasSize(REPLY);
        }
        served.get(10, TimeUnit.SECONDS);
      }

      TcpEvent connect = probe.sink().await(TcpEvent.class, e -> e.getType() == TcpEventType.CONNECT
          && e.getSport() == clientPort && e.getDport() == serverPort, Duration.ofSeconds(10));
      assertThat(connect.getFamily()).isEqualTo(family);
      assertThat(connect.getSaddr()).isEqualTo(loopback);
      assertThat(connect.getDaddr()).isEqualTo(connect.getSaddr());
      assertThat(connect.getState()).isEqualTo("ESTABLISHED");
      assertThat(connect.getConnectLatencyNs()).isPositive();
      assertThat(connect.getTaskKnown()).isTrue();
      assertThat(connect.getCtx().getPid()).isEqualTo(self);

      TcpEvent accept = probe.sink().await(TcpEvent.class, e -> e.getType() == TcpEventType.ACCEPT
          && e.getSport() == serverPort && e.getDport() == clientPort, Duration.ofSeconds(10));
      assertThat(accept.getFamily()).isEqualTo(family);
      assertThat(accept.getTaskKnown()).isTrue();
      assertThat(accept.getCtx().getPid()).isEqualTo(self);

      TcpEvent clientClose = probe.sink().await(TcpEvent.class, e -> e.getType() == TcpEventType.CLOSE
          && e.getSport() == clientPort && e.getDport() == serverPort, Duration.ofSeconds(10));
      assertThat(clientClose.getBytesSent()).isEqualTo(SENT);
      assertThat(clientClose.getBytesReceived()).isEqualTo(REPLY);
      assertThat(clientClose.getLifetimeNs()).isPositive();
      assertThat(clientClose.getTaskKnown()).isTrue();
      assertThat(clientClose.getCtx().getPid()).isEqualTo(self);

      TcpEvent serverClose = probe.sink().await(TcpEvent.class, e -> e.getType() == TcpEventType.CLOSE
          && e.getSport() == serverPort && e.getDport() == clientPort, Duration.ofSeconds(10));
      assertThat(serverClose.getBytesSent()).isEqualTo(REPLY);
      assertThat(serverClose.getBytesReceived()).isEqualTo(SENT);
      assertThat(serverClose.getLifetimeNs()).isPositive();
      assertThat(serverClose.getTaskKnown()).isTrue();

      List<TcpEvent> ofThisConnection = probe.sink().all(TcpEvent.class).stream()
          .filter(e -> (e.getSport() == clientPort && e.getDport() == serverPort) || (e.getSport() == serverPort && e.getDport() == clientPort))
          .toList();
      assertThat(ofThisConnection).extracting(TcpEvent::getType)
          .containsExactlyInAnyOrder(TcpEventType.CONNECT, TcpEventType.ACCEPT, TcpEventType.CLOSE, TcpEventType.CLOSE);
    }
  }

  private static void serve(ServerSocket server) {
    try (Socket s = server.accept()) {
      InputStream in = s.getInputStream();
      if (in.readNBytes(SENT).length != SENT) {
        throw new IllegalStateException("short read");
      }
      s.getOutputStream().write(new byte[REPLY]);
      s.getOutputStream().flush();
      in.read(); // the client's FIN: close after it, so the client closes first
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
