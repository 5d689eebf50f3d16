package dev.ocean.common.api.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One sample of a node's load, sent by the agent with each heartbeat for monitoring and {@code
 * /metrics}.
 *
 * <p>Every number but the timestamp may be null, meaning the source could not measure it.
 *
 * @param timestampMs when the sample was taken, epoch milliseconds
 * @param cpuUtilisation share of all CPUs busy since the previous sample, 0..100
 * @param load1 1-minute load average
 * @param load5 5-minute load average
 * @param load15 15-minute load average
 * @param memoryUsedBytes physical memory in use (total minus available)
 * @param memoryTotalBytes physical memory
 * @param networkRxBytes bytes received since boot, summed over physical interfaces
 * @param networkTxBytes bytes sent since boot, summed over physical interfaces
 * @param gpus one sample per GPU, never null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeMetrics(
    long timestampMs,
    Double cpuUtilisation,
    Double load1,
    Double load5,
    Double load15,
    Long memoryUsedBytes,
    Long memoryTotalBytes,
    Long networkRxBytes,
    Long networkTxBytes,
    List<GpuSample> gpus) {

  public NodeMetrics {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
  }

  /** Returns this sample with {@code gpus} in place of the current GPU samples. */
  public NodeMetrics withGpus(List<GpuSample> gpus) {
    return new NodeMetrics(
        timestampMs,
        cpuUtilisation,
        load1,
        load5,
        load15,
        memoryUsedBytes,
        memoryTotalBytes,
        networkRxBytes,
        networkTxBytes,
        gpus);
  }
}
