package dev.bpfstream.collector.bpf;

import jnr.ffi.Pointer;

/** One attachment of a program; closing it detaches. */
public final class BpfLink implements AutoCloseable {
  private final Native n;
  private final String program;
  private Pointer link;

  BpfLink(Native n, String program, Pointer link) {
    this.n = n;
    this.program = program;
    this.link = link;
  }

  public String program() {
    return program;
  }

  @Override
  public synchronized void close() {
    if (link != null) {
      n.bpf.bpf_link__destroy(link);
      link = null;
    }
  }
}
