package dev.bpfstream.collector.bpf;

/** kill(2): the one signal the collector sends is SIGQUIT, to start a HotSpot JVM's attach listener. */
public final class ProcessSignal {
  public static final int SIGQUIT = 3;

  private ProcessSignal() {
  }

  public static void send(int pid, int signal) {
    Native n = Native.get();
    if (n.libc.kill(pid, signal) != 0) {
      throw new BpfException("kill(" + pid + ", " + signal + ")", n.errno());
    }
  }
}
