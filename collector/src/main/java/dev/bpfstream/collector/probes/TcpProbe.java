package dev.bpfstream.collector.probes;

import java.util.List;

import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.ProbeOption;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.RecordDecoder;
import dev.bpfstream.schema.Topic;

/**
 * tcpconnect / tcpaccept / tcplife: active opens with connect latency, passive opens at accept()
 * with the accepting task, and closes with lifetime and bytes, from sock:inet_sock_set_state.
 */
public final class TcpProbe extends Probe {

  @Override
  public String name() {
    return "tcp";
  }

  @Override
  public String replaces() {
    return "tcpconnect,tcpaccept,tcplife";
  }

  @Override
  public String description() {
    return "TCP connects (with latency), accepts, and closes (lifetime, bytes sent/received), IPv4 and IPv6";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.TCP);
  }

  @Override
  public List<String> tracepoints() {
    return List.of("sock/inet_sock_set_state", "syscalls/sys_exit_accept4");
  }

  @Override
  public List<ProbeOption> options() {
    return List.of(ProbeOption.count("max-sockets", 65536, 256, 1 << 20,
        "sockets remembered for owner, connect time and lifetime (LRU: the oldest is forgotten first)"));
  }

  @Override
  public String notes() {
    return "ACCEPT at accept()/accept4() return (io_uring accepts are not seen); sockets older than the probe close with lifetime 0 and no owner";
  }

  @Override
  protected void prepare(BpfObject object, ProbeOptions options) {
    skipMissingTracepoints(object);
    object.setMaxEntries("socks", (int) options.number(this, "max-sockets"));
  }

  @Override
  public RecordDecoder decoder(DecodeContext context) {
    return new TcpRecordDecoder(context);
  }
}
