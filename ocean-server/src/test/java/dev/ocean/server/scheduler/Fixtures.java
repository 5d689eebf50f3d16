package dev.ocean.server.scheduler;

/** Small builders that keep scheduler tests about the scenario, not the plumbing. */
final class Fixtures {
  static final String H100 = "NVIDIA H100 80GB HBM3";
  static final String A100 = "NVIDIA A100-SXM4-80GB";

  private Fixtures() {}

  /** A READY node with plenty of CPUs and memory and no GPUs until {@code gpus(...)}. */
  static NodeSnapshot.Builder node(String name) {
    return NodeSnapshot.builder(name).cpus(128).memoryMib(1024 * 1024);
  }

  /** Run 0 of a job, submitted in job-id order, asking for 4 CPUs, 16 GiB and no GPUs. */
  static RunBuilder run(long jobId) {
    return new RunBuilder(jobId);
  }

  static final class RunBuilder {
    private final long jobId;
    private int runIndex;
    private long queueSeq;
    private int cpus = 4;
    private long memoryMib = 16 * 1024;
    private int gpus;
    private String gpuModel;
    private String imageKind = "container";
    private boolean volume;
    private boolean instance;

    private RunBuilder(long jobId) {
      this.jobId = jobId;
      this.queueSeq = jobId;
    }

    RunBuilder index(int runIndex) {
      this.runIndex = runIndex;
      return this;
    }

    RunBuilder seq(long queueSeq) {
      this.queueSeq = queueSeq;
      return this;
    }

    RunBuilder gpus(int gpus) {
      this.gpus = gpus;
      return this;
    }

    RunBuilder gpus(int gpus, String model) {
      this.gpus = gpus;
      this.gpuModel = model;
      return this;
    }

    RunBuilder cpus(int cpus) {
      this.cpus = cpus;
      return this;
    }

    RunBuilder memoryMib(long memoryMib) {
      this.memoryMib = memoryMib;
      return this;
    }

    RunBuilder host() {
      this.imageKind = "host";
      return this;
    }

    /** The job mounts a volume. */
    RunBuilder volume() {
      this.volume = true;
      return this;
    }

    /** The run is an instance's start. */
    RunBuilder instance() {
      this.instance = true;
      return this;
    }

    QueuedRun build() {
      return new QueuedRun(
          jobId, runIndex, queueSeq, cpus, memoryMib, gpus, gpuModel, imageKind, volume, instance);
    }
  }
}
