package dev.ocean.server.scheduler;

import java.util.Comparator;

/**
 * A pending run the caller allows to start now (quota and the job's {@code parallel} limit already
 * applied, see {@link ParallelLimit}), with what its machine type asks for.
 *
 * @param queueSeq position in submission order; the scheduler serves lower values first
 * @param gpuModel the machine type's GPU model, matched as a case-insensitive substring of the
 *     node's model; {@code null} for any model
 * @param imageKind {@code container} (runs on docker nodes) or {@code host} (runs on process
 *     nodes); null reads as {@code container}
 * @param hasVolume whether the job mounts a volume, so only nodes with volume storage take it
 * @param instance whether the run is an instance's start: it needs a container runtime whatever its
 *     image's kind, never the process runtime
 */
public record QueuedRun(
    long jobId,
    int runIndex,
    long queueSeq,
    int cpus,
    long memoryMib,
    int gpus,
    String gpuModel,
    String imageKind,
    boolean hasVolume,
    boolean instance) {

  /** Queue order: submission order, then job and run index so that the order is total. */
  public static final Comparator<QueuedRun> QUEUE_ORDER =
      Comparator.comparingLong(QueuedRun::queueSeq)
          .thenComparingLong(QueuedRun::jobId)
          .thenComparingInt(QueuedRun::runIndex);

  public QueuedRun {
    if (runIndex < 0 || cpus < 0 || memoryMib < 0 || gpus < 0) {
      throw new IllegalArgumentException(
          "run index, CPUs, memory and GPUs must not be negative: " + jobId + "/" + runIndex);
    }
    if (gpuModel != null && gpuModel.isBlank()) {
      gpuModel = null;
    }
    if (imageKind == null) {
      imageKind = "container";
    }
  }

  /** The runtime a node needs to run this run's image: {@code process} or {@code docker}. */
  public String runtimeKind() {
    return imageKind.equals("host") && !instance ? "process" : "docker";
  }

  /** How the run is named in wait details, e.g. {@code "job 12 run 0"}. */
  public String label() {
    return instance
        ? "an instance (job " + jobId + " run " + runIndex + ")"
        : "job " + jobId + " run " + runIndex;
  }
}
