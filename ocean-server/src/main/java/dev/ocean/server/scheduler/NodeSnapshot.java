package dev.ocean.server.scheduler;

import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One node as the scheduler sees it at planning time: its status, what it has and what is free on
 * it now (capacity minus what its assigned and running runs use).
 *
 * <p>A node has one GPU model, reported as the driver names it (e.g. {@code "NVIDIA H100 80GB
 * HBM3"}), or none when it has no GPUs. GPUs are handed out whole, by index; a broken GPU is not
 * among them. The totals let the scheduler tell a run that must wait for space from one that no
 * node could ever hold.
 *
 * @param blocked why no run can start here although the node is READY (its runtime is down), or
 *     null
 * @param gpuBlocked why no run that needs GPUs can start here (its GPUs cannot reach containers),
 *     or null
 * @param runtimeKind the node's runtime, {@code docker} (container images) or {@code process} (host
 *     images); null when its agent did not say, which takes either
 * @param volumeStorage whether runs of jobs with a volume may go here (its agent was joined with
 *     {@code --storage}, or did not say)
 */
public record NodeSnapshot(
    String name,
    NodeStatus status,
    int freeCpus,
    long freeMemoryMib,
    String gpuModel,
    SortedSet<Integer> freeGpuIndices,
    int totalGpus,
    int totalCpus,
    long totalMemoryMib,
    String blocked,
    String gpuBlocked,
    String runtimeKind,
    boolean volumeStorage) {

  public NodeSnapshot {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    freeGpuIndices = Collections.unmodifiableSortedSet(new TreeSet<>(freeGpuIndices));
    requireRange("freeCpus", freeCpus, totalCpus);
    requireRange("freeMemoryMib", freeMemoryMib, totalMemoryMib);
    requireRange("free GPUs", freeGpuIndices.size(), totalGpus);
    // Indices may have gaps (a broken GPU is left out), so only their sign is checked.
    if (!freeGpuIndices.isEmpty() && freeGpuIndices.first() < 0) {
      throw new IllegalArgumentException("GPU indices of node " + name + " must not be negative");
    }
  }

  private static void requireRange(String what, long free, long total) {
    if (free < 0 || free > total) {
      throw new IllegalArgumentException(what + " must lie in 0.." + total + " but is " + free);
    }
  }

  /** Whether this node's GPUs are of the given model: a case-insensitive substring match. */
  public boolean hasGpuModel(String model) {
    return gpuModel != null
        && gpuModel.toLowerCase(Locale.ROOT).contains(model.toLowerCase(Locale.ROOT));
  }

  /** Whether this node's runtime can run the run's image (a container image, or the host). */
  public boolean runs(QueuedRun run) {
    return runtimeKind == null || runtimeKind.equals(run.runtimeKind());
  }

  /** Whether this node can give the run its volume: it needs none, or the node has storage. */
  public boolean storesVolumeOf(QueuedRun run) {
    return !run.hasVolume() || volumeStorage;
  }

  /** A builder for a {@link NodeStatus#READY} node with nothing on it until told otherwise. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link NodeSnapshot}; totals set here start out entirely free. */
  public static final class Builder {
    private final String name;
    private NodeStatus status = NodeStatus.READY;
    private int totalCpus;
    private int freeCpus;
    private long totalMemoryMib;
    private long freeMemoryMib;
    private String gpuModel;
    private int totalGpus;
    private final SortedSet<Integer> freeGpuIndices = new TreeSet<>();
    private String blocked;
    private String gpuBlocked;
    private String runtimeKind;
    private boolean volumeStorage = true;

    private Builder(String name) {
      this.name = name;
    }

    public Builder status(NodeStatus status) {
      this.status = status;
      return this;
    }

    /** Total CPUs, all free. */
    public Builder cpus(int total) {
      this.totalCpus = total;
      this.freeCpus = total;
      return this;
    }

    public Builder freeCpus(int free) {
      this.freeCpus = free;
      return this;
    }

    /** Total memory, all free. */
    public Builder memoryMib(long total) {
      this.totalMemoryMib = total;
      this.freeMemoryMib = total;
      return this;
    }

    public Builder freeMemoryMib(long free) {
      this.freeMemoryMib = free;
      return this;
    }

    /** {@code count} GPUs of {@code model}, indices 0..count-1, all free. */
    public Builder gpus(int count, String model) {
      this.totalGpus = count;
      this.gpuModel = model;
      freeGpuIndices.clear();
      for (int i = 0; i < count; i++) {
        freeGpuIndices.add(i);
      }
      return this;
    }

    /** Marks GPUs as in use by runs already on the node. */
    public Builder busyGpus(int... indices) {
      for (int index : indices) {
        freeGpuIndices.remove(index);
      }
      return this;
    }

    /** The node's runtime cannot start runs, for this reason. */
    public Builder blocked(String reason) {
      this.blocked = reason;
      return this;
    }

    /** The node cannot hand its GPUs to runs, for this reason. */
    public Builder gpuBlocked(String reason) {
      this.gpuBlocked = reason;
      return this;
    }

    /** The node's runtime: {@code docker} or {@code process}. */
    public Builder runtime(String kind) {
      this.runtimeKind = kind;
      return this;
    }

    /** The node's agent was joined without {@code --storage}. */
    public Builder noVolumeStorage() {
      this.volumeStorage = false;
      return this;
    }

    public NodeSnapshot build() {
      return new NodeSnapshot(
          name,
          status,
          freeCpus,
          freeMemoryMib,
          gpuModel,
          freeGpuIndices,
          totalGpus,
          totalCpus,
          totalMemoryMib,
          blocked,
          gpuBlocked,
          runtimeKind,
          volumeStorage);
    }
  }
}
