package dev.bpfstream.jobs.generator;

/**
 * The shape of a synthetic fleet and the distributions its events follow. Latencies are log-normal
 * with the given medians and one shape sigma; process lifetimes exponential; process, remote
 * address and stack popularity Zipf(1.1).
 */
public record FleetProfile(
    int containersPerHost,
    int processesPerHost,
    int devicesPerHost,
    int remoteAddresses,
    int stacks,
    int writePercent,
    int failedOpenPercent,
    double blockServiceMedianNs,
    double blockQueueMedianNs,
    double fileOpMedianNs,
    double tcpConnectMedianNs,
    double runqMedianNs,
    double sigma,
    double processLifetimeMeanNs,
    int histogramSamples,
    long lostPerInterval) {

  public static FleetProfile standard() {
    return new FleetProfile(4, 60, 2, 500, 200, 30, 5, 200_000, 20_000, 15_000_000, 300_000, 50_000, 0.8,
        2_000_000_000.0, 200, 0);
  }

  public FleetProfile withContainers(int n) {
    return new FleetProfile(n, processesPerHost, devicesPerHost, remoteAddresses, stacks, writePercent, failedOpenPercent,
        blockServiceMedianNs, blockQueueMedianNs, fileOpMedianNs, tcpConnectMedianNs, runqMedianNs, sigma,
        processLifetimeMeanNs, histogramSamples, lostPerInterval);
  }

  public FleetProfile withLostPerInterval(long n) {
    return new FleetProfile(containersPerHost, processesPerHost, devicesPerHost, remoteAddresses, stacks, writePercent,
        failedOpenPercent, blockServiceMedianNs, blockQueueMedianNs, fileOpMedianNs, tcpConnectMedianNs, runqMedianNs,
        sigma, processLifetimeMeanNs, histogramSamples, n);
  }
}
