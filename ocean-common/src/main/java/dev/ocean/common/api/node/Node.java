package dev.ocean.common.api.node;

import java.time.Instant;
import java.util.List;

/**
 * A node as users and admins see it: its state, its capacity and its latest readings.
 *
 * @param state {@code ready}, {@code draining}, {@code lost} or {@code removed}
 * @param gpusUsed GPUs assigned to runs now
 */
public record Node(
    String name,
    String state,
    int cpus,
    long memoryBytes,
    int gpus,
    int gpusUsed,
    String gpuModel,
    Instant registeredAt,
    Instant lastSeenAt,
    String agentVersion,
    NodeFacts facts,
    NodeMetrics metrics,
    List<Gpu> gpuList) {

  /** One GPU in the cluster with its latest reading and who holds it. */
  public record Gpu(
      String node,
      int index,
      String uuid,
      String model,
      Integer utilisationGpu,
      Integer memoryUsedMib,
      Integer memoryTotalMib,
      Integer temperatureC,
      Double powerDrawW,
      Double powerLimitW,
      String heldBy) {}
}
