package dev.ocean.server.scheduler;

import java.util.List;
import java.util.Optional;

/**
 * The scheduler's answer for one snapshot: runs to start now, in queue order, and every other run
 * with why it waits. An applier commits it; the plan itself changes nothing.
 */
public record Plan(List<Placement> placements, List<Wait> waits) {

  public Plan {
    placements = List.copyOf(placements);
    waits = List.copyOf(waits);
  }

  public Optional<Placement> placementOf(long jobId, int runIndex) {
    return placements.stream()
        .filter(p -> p.jobId() == jobId && p.runIndex() == runIndex)
        .findFirst();
  }

  public Optional<Wait> waitOf(long jobId, int runIndex) {
    return waits.stream().filter(w -> w.jobId() == jobId && w.runIndex() == runIndex).findFirst();
  }
}
