package dev.ocean.common.api;

import java.time.Instant;

/**
 * An admin-defined bundle of CPUs, memory and whole GPUs that users get quota for.
 *
 * @param idleStopHours an instance of this type idle this long is stopped; null when idle stop is
 *     off
 * @param idleExtendMaxHours how far from now its owner may {@code extend} an idle instance; null
 *     when idle stop is off (it defaults to {@code idleStopHours})
 */
public record MachineType(
    String name,
    int cpus,
    int memoryGib,
    int gpus,
    String gpuModel,
    Instant createdAt,
    Integer idleStopHours,
    Integer idleExtendMaxHours) {

  /**
   * The body of {@code POST /api/v1/machine-types} and {@code PATCH /api/v1/machine-types/{name}};
   * in a patch, null keeps a value and {@code idleStopHours} 0 turns idle stop off ({@code
   * idleExtendMaxHours} 0: back to the idle-stop value).
   */
  public record Create(
      String name,
      Integer cpus,
      Integer memoryGib,
      Integer gpus,
      String gpuModel,
      Integer idleStopHours,
      Integer idleExtendMaxHours) {}
}
