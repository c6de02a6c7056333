/**
 * The probes: one class per BPF program ({@code collector/src/main/bpf/<name>.bpf.c}) saying what it
 * traces, which options it takes, how it configures and attaches its program and how it decodes its
 * records; {@link dev.bpfstream.collector.probes.ProbeCatalog} lists them by name. What they share
 * (loading, options, record decoding, map drains) is in {@link dev.bpfstream.collector.probe}.
 */
package dev.bpfstream.collector.probes;
