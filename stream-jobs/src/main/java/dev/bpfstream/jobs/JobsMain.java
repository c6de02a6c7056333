package dev.bpfstream.jobs;

import java.io.PrintWriter;
import java.io.StringWriter;

import dev.bpfstream.jobs.alert.AlertsCommand;
import dev.bpfstream.jobs.fleet.SubmitCommand;
import dev.bpfstream.jobs.fleet.TopicsCommand;
import dev.bpfstream.jobs.generator.GenerateCommand;
import dev.bpfstream.jobs.latency.LatencyCommand;
import dev.bpfstream.jobs.sql.SqlCommand;
import dev.bpfstream.jobs.workload.WorkloadCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point of the stream-jobs jar: {@code java -jar bpfstream-stream-jobs.jar <command>}
 * (local MiniCluster) or {@code flink run bpfstream-stream-jobs.jar <command>} (a cluster). Only a
 * registry: each command is its own class, one line here.
 */
@Command(name = "bpfstream-jobs", mixinStandardHelpOptions = true,
    description = "bpfstream Flink jobs.",
    subcommands = {
        WorkloadCommand.class,
        LatencyCommand.class,
        GenerateCommand.class,
        AlertsCommand.class,
        SqlCommand.class,
        TopicsCommand.class,
        SubmitCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class JobsMain implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (!FlinkTarget.insideCluster()) {
      System.exit(commandLine().execute(args));
    }
    // In a JobManager (a REST jar run) System.exit would end the JobManager: a refusal is thrown instead,
    // and the submitter gets its one line.
    StringWriter err = new StringWriter();
    CommandLine cl = commandLine();
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    if (code != 0) {
      throw new IllegalArgumentException(err.toString().strip().replace('\n', ' '));
    }
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new JobsMain());
    // submit: everything from the job's name on is the job's command line, not submit's options.
    cl.getSubcommands().get("submit").setStopAtPositional(true);
    return cl
        .setCaseInsensitiveEnumValuesAllowed(true)
        // Bad input gets one line naming the fix, not a stack trace.
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println(cmd.getColorScheme().errorText(cmd.getCommandName() + ": " + rootMessage(e)));
          return 2;
        });
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
