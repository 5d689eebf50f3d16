package dev.ocean.agent.runtime;

import dev.ocean.common.api.instance.InstanceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What to run for one run of a job, as the agent hands it to a {@link RunRuntime}.
 *
 * @param runId unique run name, {@code <jobId>-<runIndex>} (e.g. {@code 42-0}); used in file and
 *     container names, so only {@code [A-Za-z0-9_.-]}
 * @param image image reference; ignored by the process runtime
 * @param argv the command, one element per argument, never joined into a shell string
 * @param env variables the caller chose (it adds {@code OCEAN_JOB_ID} and {@code OCEAN_RUN_INDEX});
 *     the runtime adds the GPU variables on top
 * @param volumeDir host directory mounted at {@code /home/linuxbrew} and used as the working
 *     directory, or {@code null}
 * @param cpus CPU limit in cores, 0 for none
 * @param memoryMib memory limit in MiB, 0 for none
 * @param gpus indices of the GPUs the run gets, exactly those and no others
 * @param labels extra container labels
 * @param instance null for a job's run; for an instance, what its init needs (the runtime then
 *     starts the image's services instead of {@code argv})
 */
public record RunSpec(
    String runId,
    long jobId,
    int runIndex,
    String image,
    List<String> argv,
    Map<String, String> env,
    Path volumeDir,
    double cpus,
    long memoryMib,
    List<Integer> gpus,
    Map<String, String> labels,
    InstanceSpec instance) {

  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  public RunSpec {
    requireValidRunId(runId);
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    gpus = List.copyOf(gpus);
    labels = Map.copyOf(labels);
    if (cpus < 0 || memoryMib < 0 || runIndex < 0) {
      throw new IllegalArgumentException("cpus, memoryMib and runIndex must not be negative");
    }
  }

  /** A spec with no limits, GPUs, volume or labels; the {@code with…} methods fill those in. */
  public static RunSpec of(
      String runId, long jobId, int runIndex, String image, List<String> argv) {
    return new RunSpec(
        runId, jobId, runIndex, image, argv, Map.of(), null, 0, 0, List.of(), Map.of(), null);
  }

  public RunSpec withEnv(Map<String, String> newEnv) {
    return new RunSpec(
        runId, jobId, runIndex, image, argv, newEnv, volumeDir, cpus, memoryMib, gpus, labels,
        instance);
  }

  public RunSpec withVolumeDir(Path dir) {
    return new RunSpec(
        runId, jobId, runIndex, image, argv, env, dir, cpus, memoryMib, gpus, labels, instance);
  }

  public RunSpec withLimits(double newCpus, long newMemoryMib) {
    return new RunSpec(
        runId,
        jobId,
        runIndex,
        image,
        argv,
        env,
        volumeDir,
        newCpus,
        newMemoryMib,
        gpus,
        labels,
        instance);
  }

  public RunSpec withGpus(List<Integer> newGpus) {
    return new RunSpec(
        runId, jobId, runIndex, image, argv, env, volumeDir, cpus, memoryMib, newGpus, labels,
        instance);
  }

  public RunSpec withLabels(Map<String, String> newLabels) {
    return new RunSpec(
        runId, jobId, runIndex, image, argv, env, volumeDir, cpus, memoryMib, gpus, newLabels,
        instance);
  }

  public RunSpec withInstance(InstanceSpec newInstance) {
    return new RunSpec(
        runId,
        jobId,
        runIndex,
        image,
        argv,
        env,
        volumeDir,
        cpus,
        memoryMib,
        gpus,
        labels,
        newInstance);
  }

  /** The GPU indices comma-joined ({@code 0,2}), empty when the run has no GPU. */
  public String gpuList() {
    return gpus.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** Rejects a run id that is unfit for file and container names. */
  public static String requireValidRunId(String runId) {
    Objects.requireNonNull(runId, "runId");
    if (!RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException(
          "run id must match " + RUN_ID.pattern() + " but was '" + runId + "'");
    }
    return runId;
  }
}
