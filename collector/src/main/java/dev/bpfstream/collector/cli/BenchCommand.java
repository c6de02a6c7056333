package dev.bpfstream.collector.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** Benchmarks of the collector's hot paths; see BENCHMARKS.md for the commands and figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark the reader and the whole collector.")
final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("collector bench: see the subcommands");
    return 2;
  }
}
