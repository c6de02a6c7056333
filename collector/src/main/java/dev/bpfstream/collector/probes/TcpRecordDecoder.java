package dev.bpfstream.collector.probes;

import static dev.bpfstream.collector.probe.RecordLayout.BODY;
import static dev.bpfstream.collector.probe.RecordLayout.HDR_BYTES;

import java.nio.ByteBuffer;

import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.MalformedRecordException;
import dev.bpfstream.collector.probe.RecordDecoder;
import dev.bpfstream.collector.probe.TaskContextReader;
import dev.bpfstream.event.TcpEvent;
import dev.bpfstream.event.TcpEventType;
import dev.bpfstream.schema.Topic;

/**
 * Decodes struct tcp_record (the tcp and tcpretrans probes) into TcpEvent. An IPv4-mapped IPv6
 * address (a dual-stack socket talking IPv4, e.g. Java's default) is reported as family 4.
 */
final class TcpRecordDecoder implements RecordDecoder {
  static final int CONNECT_LATENCY = BODY;
  static final int LIFETIME = BODY + 8;
  static final int BYTES_SENT = BODY + 16;
  static final int BYTES_RECEIVED = BODY + 24;
  static final int SADDR = BODY + 32;
  static final int DADDR = BODY + 48;
  static final int SPORT = BODY + 64;
  static final int DPORT = BODY + 66;
  static final int FAMILY = BODY + 68;
  static final int TYPE = BODY + 70;
  static final int TASK_KNOWN = BODY + 71;
  static final int STATE = BODY + 72;
  static final int RESET_REASON = BODY + 76;
  static final int SIZE = BODY + 80;
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  private static final TcpEventType[] TYPES = TcpEventType.values();
  /** include/net/tcp_states.h. */
  private static final String[] STATES = {"UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
      "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};
  /** enum sk_rst_reason (include/net/rstreason.h, 6.10+), the tracepoint's own table. */
  private static final String[] RESET_REASONS = {"NOT_SPECIFIED", "NO_SOCKET", "TCP_INVALID_ACK_SEQUENCE", "TCP_RFC7323_PAWS",
      "TCP_TOO_OLD_ACK", "TCP_ACK_UNSENT_DATA", "TCP_FLAGS", "TCP_OLD_ACK", "TCP_ABORT_ON_DATA", "TCP_TIMEWAIT_SOCKET",
      "INVALID_SYN", "TCP_ABORT_ON_CLOSE", "TCP_ABORT_ON_LINGER", "TCP_ABORT_ON_MEMORY", "TCP_STATE",
      "TCP_KEEPALIVE_TIMEOUT", "TCP_DISCONNECT_WITH_DATA", "MPTCP_RST_EUNSPEC", "MPTCP_RST_EMPTCP", "MPTCP_RST_ERESOURCE",
      "MPTCP_RST_EPROHIBIT", "MPTCP_RST_EWQ2BIG", "MPTCP_RST_EBADPERF", "MPTCP_RST_EMIDDLEBOX", "ERROR"};

  private final DecodeContext out;
  private final TcpEvent record = new TcpEvent();

  TcpRecordDecoder(DecodeContext out) {
    this.out = out;
    record.setCtx(TaskContextReader.newContext());
  }

  @Override
  public void decode(ByteBuffer b, int at, int length) {
    if (length < SIZE) {
      throw new MalformedRecordException("tcp record of " + length + " bytes");
    }
    int type = b.get(at + TYPE) & 0xff;
    int family = b.getShort(at + FAMILY) & 0xffff;
    if (type >= TYPES.length || (family != AF_INET && family != AF_INET6)) {
      throw new MalformedRecordException("tcp record: type " + type + ", family " + family);
    }
    out.tasks().read(b, at + HDR_BYTES, record.getCtx());
    record.setType(TYPES[type]);
    record.setTaskKnown(b.get(at + TASK_KNOWN) != 0);
    boolean v4 = family == AF_INET || (mapped(b, at + SADDR) && mapped(b, at + DADDR));
    record.setFamily(v4 ? 4 : 6);
    record.setSaddr(address(b, at + SADDR, family, v4));
    record.setDaddr(address(b, at + DADDR, family, v4));
    record.setSport(b.getShort(at + SPORT) & 0xffff);
    record.setDport(b.getShort(at + DPORT) & 0xffff);
    int state = b.getInt(at + STATE);
    record.setState(state >= 0 && state < STATES.length ? STATES[state] : Integer.toString(state));
    record.setConnectLatencyNs(b.getLong(at + CONNECT_LATENCY));
    record.setLifetimeNs(b.getLong(at + LIFETIME));
    record.setBytesSent(b.getLong(at + BYTES_SENT));
    record.setBytesReceived(b.getLong(at + BYTES_RECEIVED));
    if (record.getType() == TcpEventType.SEND_RESET) {
      int reason = b.getInt(at + RESET_REASON);
      record.setResetReason(reason >= 0 && reason < RESET_REASONS.length ? RESET_REASONS[reason] : Integer.toString(reason));
    } else {
      record.setResetReason("");
    }
    out.emit(Topic.TCP, record);
  }

  /** ::ffff:a.b.c.d */
  private static boolean mapped(ByteBuffer b, int at) {
    for (int i = 0; i < 10; i++) {
      if (b.get(at + i) != 0) {
        return false;
      }
    }
    return b.get(at + 10) == (byte) 0xff && b.get(at + 11) == (byte) 0xff;
  }

  private String address(ByteBuffer b, int at, int family, boolean v4) {
    if (v4) {
      int from = family == AF_INET ? at : at + 12;
      return (b.get(from) & 0xff) + "." + (b.get(from + 1) & 0xff) + "." + (b.get(from + 2) & 0xff) + "." + (b.get(from + 3) & 0xff);
    }
    return ipv6(b, at);
  }

  /** RFC 5952 text: lowercase hex, no leading zeros, the longest run (of two or more) of zero groups as "::". */
  static String ipv6(ByteBuffer b, int at) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b.get(at + 2 * i) & 0xff) << 8) | (b.get(at + 2 * i + 1) & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
