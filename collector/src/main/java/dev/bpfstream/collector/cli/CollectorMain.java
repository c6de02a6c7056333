package dev.bpfstream.collector.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `collector run | probes | bench`: errors are one line each, never a stack trace. */
@Command(name = "collector", mixinStandardHelpOptions = true, version = "bpfstream collector 0.1.0",
    description = "Loads eBPF probes on this host and produces their events to Kafka.",
    subcommands = {RunCommand.class, ProbesCommand.class, BenchCommand.class})
public final class CollectorMain {

  public static void main(String[] args) {
    int rc = execute(args);
    // On SIGTERM/Ctrl-C the JVM is already exiting: System.exit would wait for itself forever.
    if (rc != 0) {
      System.exit(rc);
    }
  }

  public static int execute(String... args) {
    return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new CollectorMain());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("collector: " + oneLine(e));
      return 1;
    });
    cl.setParameterExceptionHandler((e, parsed) -> {
      e.getCommandLine().getErr().println("collector: " + e.getMessage() + " (see --help)");
      return 2;
    });
    return cl.execute(args);
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.replace("\n", "; ");
  }
}
