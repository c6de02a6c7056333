package dev.bpfstream.collector.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * A child process that calls getppid() N times once told to start (a line on stdin): the load the
 * bench probe turns into records. Perl is on every Debian system (perl-base is essential).
 */
public final class GetppidLoad implements AutoCloseable {
  private final Process process;

  private GetppidLoad(Process process) {
    this.process = process;
  }

  /** Starts the child, waiting on stdin; {@code perSecond} 0 means as fast as it can. */
  public static GetppidLoad start(long count, long perSecond) throws IOException {
    String script = perSecond <= 0
        ? "<STDIN>; getppid() for 1.." + count + "; print \"done\\n\";"
        : "use Time::HiRes qw(time sleep); <STDIN>; my $t0=time; my $n=0; "
            + "while ($n < " + count + ") { getppid() for 1..100; $n += 100; "
            + "my $ahead = $n/" + perSecond + " - (time-$t0); sleep($ahead) if $ahead > 0; } print \"done\\n\";";
    Process p = new ProcessBuilder("perl", "-e", script).redirectErrorStream(true).start();
    return new GetppidLoad(p);
  }

  public long pid() {
    return process.pid();
  }

  public void go() throws IOException {
    OutputStream in = process.getOutputStream();
    in.write('\n');
    in.flush();
  }

  /** Waits for the child to finish its calls. */
  public void await(long seconds) throws Exception {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("load generator did not finish in " + seconds + " s");
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
