package dev.ocean.common.api;

import java.time.Instant;

/** An admin-defined bundle of CPUs, memory and whole GPUs that users get quota for. */
public record MachineType(
    String name, int cpus, int memoryGib, int gpus, String gpuModel, Instant createdAt) {

  /** The body of {@code POST /api/v1/machine-types}. */
  public record Create(
      String name, Integer cpus, Integer memoryGib, Integer gpus, String gpuModel) {}
}
