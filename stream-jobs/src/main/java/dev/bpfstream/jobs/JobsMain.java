package dev.bpfstream.jobs;

import dev.bpfstream.jobs.alert.AlertsCommand;
import dev.bpfstream.jobs.sql.SqlCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The Flink jobs CLI: {@code bpfstream jobs <command>}. */
@Command(name = "bpfstream-jobs", mixinStandardHelpOptions = true,
    description = "bpfstream Flink jobs and tools.",
    subcommands = {AlertsCommand.class, SqlCommand.class})
public final class JobsMain {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new JobsMain());
  }
}
