package dev.bpfstream.collector.probe;

import dev.bpfstream.collector.enrich.Redactor;
import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.collector.namespace.NamespaceObserver;
import dev.bpfstream.collector.sink.EventSink;
import dev.bpfstream.schema.Topic;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a decoder writes through: the task-context reader, the sink, the probe's counters, the
 * redactor that masks secrets in argv, paths and shell lines, and listeners other parts of the
 * collector attach (namespace lifecycle → inventory).
 */
public final class DecodeContext {
  private final TaskContextReader tasks;
  private final EventSink sink;
  private final ProbeCounters counters;
  private final Redactor redactor;
  private final NamespaceObserver namespaces;

  public DecodeContext(TaskContextReader tasks, EventSink sink, ProbeCounters counters, Redactor redactor,
                       NamespaceObserver namespaces) {
    this.tasks = tasks;
    this.sink = sink;
    this.counters = counters;
    this.redactor = redactor;
    this.namespaces = namespaces == null ? NamespaceObserver.NONE : namespaces;
  }

  public TaskContextReader tasks() {
    return tasks;
  }

  public Redactor redactor() {
    return redactor;
  }

  public ProbeCounters counters() {
    return counters;
  }

  public void emit(Topic topic, SpecificRecord record) {
    sink.accept(topic, record, counters);
  }

  public NamespaceObserver namespaces() {
    return namespaces;
  }
}
