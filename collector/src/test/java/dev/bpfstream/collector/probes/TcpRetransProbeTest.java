package dev.bpfstream.collector.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import dev.bpfstream.broker.junit.Prerequisites;
import dev.bpfstream.collector.testing.NetworkNamespace;
import dev.bpfstream.collector.testing.RunningProbe;
import dev.bpfstream.event.TcpEvent;
import dev.bpfstream.event.TcpEventType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real retransmit, provoked in a network namespace of the test's own: an nftables rule there
 * drops the client's data segments on input until the first retransmit is seen, then is removed so
 * the data gets through. Then a connect to a closed port: the reset sent and the reset received.
 */
class TcpRetransProbeTest {

  @BeforeAll
  static void prerequisites() {
    RunningProbe.requireBpf();
    Prerequisites.requireCommand("ip", "iproute2");
    Prerequisites.requireCommand("nft", "nftables");
  }

  @Test
  void aDroppedSegmentIsRetransmittedAndAConnectToAClosedPortResets() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    try (NetworkNamespace ns = NetworkNamespace.create();
         RunningProbe probe = RunningProbe.start(new TcpRetransProbe())) {
      // A Socket's descriptor is made at connect: connect on a thread in the namespace.
      ServerSocket server = ns.call(() -> new ServerSocket(0, 10, lo));
      Socket client = new Socket();
      try (server; client) {
        int port = server.getLocalPort();
        // Dropped on input, not output: a drop in output is an error the sender sees (then it just
        // sends again later, no retransmit); a drop on input is a segment lost on the wire.
        ns.exec("table inet bpfstream_test {\n chain in {\n  type filter hook input priority 0; policy accept;\n"
            + "  tcp dport " + port + " ip length > 200 drop\n }\n}\n", "nft", "-f", "-");
        ns.call(() -> {
          client.connect(new InetSocketAddress(lo, port), 5000);
          return null;
        });
        int clientPort = client.getLocalPort();
        try (Socket accepted = server.accept()) {
          client.getOutputStream().write(new byte[1000]);
          client.getOutputStream().flush();

          TcpEvent retransmit = probe.sink().await(TcpEvent.class, e -> e.getType() == TcpEventType.RETRANSMIT
              && e.getSport() == clientPort && e.getDport() == port, Duration.ofSeconds(10));
          assertThat(retransmit.getFamily()).isEqualTo(4);
          assertThat(retransmit.getSaddr()).isEqualTo("127.0.0.1");
          assertThat(retransmit.getDaddr()).isEqualTo("127.0.0.1");
          assertThat(retransmit.getState()).isEqualTo("ESTABLISHED");
          assertThat(retransmit.getTaskKnown()).isFalse();

          ns.exec(null, "nft", "delete", "table", "inet", "bpfstream_test");
          accepted.setSoTimeout(10_000);
          assertThat(accepted.getInputStream().readNBytes(1000)).hasSize(1000); // a later retransmit got through
        }

        int closedPort = ns.call(() -> {
          try (ServerSocket s = new ServerSocket(0, 1, lo)) {
            return s.getLocalPort();
          }
        });
        try (Socket refused = new Socket()) {
          assertThatThrownBy(() -> ns.call(() -> {
            refused.connect(new InetSocketAddress(lo, closedPort), 5000);
            return null;
          })).isInstanceOf(ConnectException.class);
        }
        TcpEvent sent = probe.sink().await(TcpEvent.class, e -> e.getType() == TcpEventType.SEND_RESET
            && e.getSport() == closedPort, Duration.ofSeconds(10));
        assertThat(sent.getResetReason()).isEqualTo("NO_SOCKET");
        assertThat(sent.getDaddr()).isEqualTo("127.0.0.1");
        TcpEvent received = probe.sink().await(TcpEvent.class, e -> e.getType() == TcpEventType.RECEIVE_RESET
            && e.getDport() == closedPort, Duration.ofSeconds(10));
        assertThat(received.getSport()).isEqualTo(sent.getDport());
        assertThat(received.getState()).isEqualTo("SYN_SENT");
      }
    }
  }
}
