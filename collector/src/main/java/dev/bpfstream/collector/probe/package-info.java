/**
 * What a probe is and how one runs: {@link dev.bpfstream.collector.probe.Probe} (the class every
 * probe extends), its options and settings, {@link dev.bpfstream.collector.probe.LoadedProbe}
 * (open, configure, load, attach, read the ring, drain, close), the record layout shared with the
 * BPF side, the task-context reader and the helpers that drain in-kernel maps. The probes
 * themselves are in {@link dev.bpfstream.collector.probes}.
 */
package dev.bpfstream.collector.probe;
