package dev.ocean.server.scheduler;

import java.util.List;

/** A decision to start one run on one node with exactly these GPU indices (lowest first). */
public record Placement(long jobId, int runIndex, String node, List<Integer> gpuIndices) {

  public Placement {
    gpuIndices = List.copyOf(gpuIndices);
  }
}
