package dev.ocean.server.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The scheduler's scratch copy of one node during a single {@link Scheduler#plan} call: what is
 * still free after the placements made so far, and which waiting run, if any, holds the node.
 */
final class NodeSlot {
  final NodeSnapshot node;

  /** This slot's place among the plan's nodes in name order: compared in place of the names. */
  final int rank;

  /** The node's own (unmodifiable) set until the first placement here, then a copy. */
  private SortedSet<Integer> freeGpus;

  private boolean ownGpus;
  private int freeCpus;
  private long freeMemoryMib;
  private QueuedRun reservedFor;
  private int reservedForPosition;

  NodeSlot(NodeSnapshot node, int rank) {
    this.node = node;
    this.rank = rank;
    // most nodes get no placement in a pass: their GPUs are copied only when one comes
    this.freeGpus = node.freeGpuIndices();
    this.freeCpus = node.freeCpus();
    this.freeMemoryMib = node.freeMemoryMib();
  }

  String name() {
    return node.name();
  }

  boolean isReady() {
    return node.status() == NodeStatus.READY;
  }

  /**
   * A run without GPUs ignores the model; a run with GPUs needs GPUs of its model, if it names one.
   */
  boolean matchesModel(QueuedRun run) {
    return run.gpus() == 0 || run.gpuModel() == null || node.hasGpuModel(run.gpuModel());
  }

  /** Whether the node could hold the run were it empty. */
  boolean canEverHold(QueuedRun run) {
    return isReady()
        && node.blocked() == null
        && node.runs(run)
        && node.storesVolumeOf(run)
        && (run.gpus() == 0 || node.gpuBlocked() == null)
        && matchesModel(run)
        && node.totalGpus() >= run.gpus()
        && node.totalCpus() >= run.cpus()
        && node.totalMemoryMib() >= run.memoryMib();
  }

  /** Whether the run fits in what is free now, ignoring any reservation. */
  boolean fitsNow(QueuedRun run) {
    return canEverHold(run)
        && freeGpus.size() >= run.gpus()
        && freeCpus >= run.cpus()
        && freeMemoryMib >= run.memoryMib();
  }

  int freeGpuCount() {
    return freeGpus.size();
  }

  int gpuShortfall(QueuedRun run) {
    return Math.max(0, run.gpus() - freeGpus.size());
  }

  int cpuShortfall(QueuedRun run) {
    return Math.max(0, run.cpus() - freeCpus);
  }

  long memoryShortfall(QueuedRun run) {
    return Math.max(0, run.memoryMib() - freeMemoryMib);
  }

  boolean isReserved() {
    return reservedFor != null;
  }

  void reserveFor(QueuedRun run, int position) {
    reservedFor = run;
    reservedForPosition = position;
  }

  /** Who holds the node, e.g. {@code "job 7 run 0 (position 1)"}. */
  String reservationLabel() {
    return reservedFor.label() + " (position " + reservedForPosition + ")";
  }

  /** Takes the lowest free GPU indices and the run's CPUs and memory. */
  Placement place(QueuedRun run) {
    if (!ownGpus) {
      freeGpus = new TreeSet<>(freeGpus);
      ownGpus = true;
    }
    List<Integer> gpus = new ArrayList<>(run.gpus());
    for (int i = 0; i < run.gpus(); i++) {
      Integer lowest = freeGpus.first();
      freeGpus.remove(lowest);
      gpus.add(lowest);
    }
    freeCpus -= run.cpus();
    freeMemoryMib -= run.memoryMib();
    return new Placement(run.jobId(), run.runIndex(), name(), gpus);
  }
}
