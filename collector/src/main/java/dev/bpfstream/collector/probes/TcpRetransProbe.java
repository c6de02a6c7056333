package dev.bpfstream.collector.probes;

import java.util.List;

import dev.bpfstream.collector.bpf.BpfObject;
import dev.bpfstream.collector.probe.DecodeContext;
import dev.bpfstream.collector.probe.Probe;
import dev.bpfstream.collector.probe.ProbeOption;
import dev.bpfstream.collector.probe.ProbeOptions;
import dev.bpfstream.collector.probe.RecordDecoder;
import dev.bpfstream.schema.Topic;

/** tcpretrans: TCP retransmits, and resets sent and received, with addresses, ports and state. */
public final class TcpRetransProbe extends Probe {

  @Override
  public String name() {
    return "tcpretrans";
  }

  @Override
  public String replaces() {
    return "tcpretrans";
  }

  @Override
  public String description() {
    return "TCP retransmits and resets sent/received: addresses, ports, state, reset reason";
  }

  @Override
  public List<Topic> topics() {
    return List.of(Topic.TCP);
  }

  @Override
  public List<String> tracepoints() {
    return List.of("tcp/tcp_retransmit_skb");
  }

  @Override
  public List<ProbeOption> options() {
    return List.of(ProbeOption.flag("resets", true, "also tcp_send_reset / tcp_receive_reset events"));
  }

  @Override
  public String notes() {
    return "softirq/timer context: the task is whoever the kernel ran on behalf of (taskKnown=false); join on the 4-tuple with the tcp probe for the owner";
  }

  @Override
  protected void prepare(BpfObject object, ProbeOptions options) {
    boolean resets = options.flag(this, "resets");
    object.setAutoload("send_reset", resets && dev.bpfstream.collector.bpf.Tracefs.hasTracepoint("tcp", "tcp_send_reset"));
    object.setAutoload("receive_reset", resets && dev.bpfstream.collector.bpf.Tracefs.hasTracepoint("tcp", "tcp_receive_reset"));
  }

  @Override
  public RecordDecoder decoder(DecodeContext context) {
    return new TcpRecordDecoder(context);
  }
}
