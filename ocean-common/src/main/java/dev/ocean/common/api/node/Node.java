package dev.ocean.common.api.node;

import java.time.Instant;
import java.util.List;

/**
 * A node as users and admins see it: its state, its capacity and its latest readings.
 *
 * @param state {@code ready}, {@code draining}, {@code lost} or {@code removed}
 * @param gpusUsed GPUs assigned to runs now
 * @param unschedulable why the scheduler places no work (or no GPU work) here although the node is
 *     ready, e.g. its container engine is down; null when nothing stands in the way
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
    List<Gpu> gpuList,
    String unschedulable) {

  /**
   * One GPU in the cluster with its latest reading and who holds it.
   *
   * @param problem why it cannot be used (never given to a run), or what could not be read about
   *     it; null when all is well
   */
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
      String heldBy,
      String problem) {}
}
