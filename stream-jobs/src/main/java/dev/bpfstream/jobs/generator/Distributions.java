package dev.bpfstream.jobs.generator;

import java.util.SplittableRandom;

/** The known distributions the fleet generator draws from. */
public final class Distributions {
  private Distributions() {
  }

  /** Log-normal with the given median and shape sigma (of the underlying normal). */
  public static long logNormal(SplittableRandom r, double median, double sigma) {
    return Math.max(1, Math.round(median * Math.exp(sigma * gaussian(r))));
  }

  public static double gaussian(SplittableRandom r) {
    // Box-Muller; one of the pair is enough here.
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  public static long exponential(SplittableRandom r, double mean) {
    return Math.round(-mean * Math.log(1.0 - r.nextDouble()));
  }

  /** Zipf(s = 1.1) rank in [0, n): a few keys dominate, as processes, addresses and stacks do. */
  public static final class Zipf {
    private final double[] cumulative;

    public Zipf(int n) {
      this(n, 1.1);
    }

    public Zipf(int n, double s) {
      cumulative = new double[n];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += 1.0 / Math.pow(i + 1, s);
        cumulative[i] = sum;
      }
      for (int i = 0; i < n; i++) {
        cumulative[i] /= sum;
      }
    }

    public int next(SplittableRandom r) {
      double u = r.nextDouble();
      int lo = 0;
      int hi = cumulative.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }
}
