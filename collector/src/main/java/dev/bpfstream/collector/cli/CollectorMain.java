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
    cl.setOverwrittenOptionsAllowed(true); // the command line overrides the config file
    String[] expanded;
    try {
      expanded = withConfigFile(args, cl.getSubcommands().get("run").getCommandSpec());
    } catch (ConfigFile.ConfigException e) {
      for (String line : e.getMessage().split("\n")) {
        err.println("collector: " + line);
      }
      return 2;
    }
    return cl.execute(expanded);
  }

  /** `run --config FILE ...` becomes `run <the file's options> ...`: what the command line says comes last and wins. */
  static String[] withConfigFile(String[] args, picocli.CommandLine.Model.CommandSpec run) {
    java.util.List<String> in = java.util.List.of(args);
    int at = in.indexOf("--config");
    if (at < 0 || in.indexOf("run") < 0 || in.indexOf("run") > at) {
      return args;
    }
    if (at + 1 >= in.size()) {
      throw new ConfigFile.ConfigException("--config needs a file");
    }
    java.util.List<String> out = new java.util.ArrayList<>(in.subList(0, in.indexOf("run") + 1));
    out.addAll(ConfigFile.toArguments(java.nio.file.Path.of(in.get(at + 1)), run));
    for (int i = in.indexOf("run") + 1; i < in.size(); i++) {
      if (i == at) {
        i++;
        continue;
      }
      out.add(in.get(i));
    }
    return out.toArray(String[]::new);
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.replace("\n", "; ");
  }
}
