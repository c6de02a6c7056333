package dev.bpfstream.jobs.workload;

import dev.bpfstream.event.TcpEventType;
import dev.bpfstream.jobs.source.Observation;

/** One event as workload characterization sees it: who did what, how much. */
public class WorkloadObservation extends Observation {
  public enum Kind { EXEC, EXIT, OPEN, FILE_OP, BLOCK_IO, TCP, PROFILE }

  public Kind kind;
  public String containerId;
  public long pidNs;
  public String comm;
  /** Executable path (exec events only). */
  public String exe;
  public int pid;
  public long uid;
  /** Bytes moved: block I/O, slow file op, TCP (sent + received, at close). */
  public long bytes;
  public boolean write;
  public String device;
  /** A failed open. */
  public boolean failed;
  /** Process lifetime at exit. */
  public long lifetimeNs;
  public TcpEventType tcpType;
  public String remote;
  /** CPU samples (profile). */
  public long samples;
  /** Folded stack (profile). */
  public String stack;
}
