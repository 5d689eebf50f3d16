package dev.ocean.common.api.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the agent's run runtime can do now, part of {@link NodeFacts}: checked when the agent joins
 * and at every heartbeat, so the server never places work on a node whose engine is down.
 *
 * @param kind {@code docker} (Docker Engine API: Docker or Podman) or {@code process}
 * @param problem why runs cannot start now (e.g. the engine's socket is missing), or null when the
 *     runtime works
 * @param gpuHandoff how GPUs reach a run: {@code nvidia-runtime} (Docker device requests served by
 *     the NVIDIA container runtime), {@code cdi} (CDI device names {@code nvidia.com/gpu=N}),
 *     {@code env} ({@code CUDA_VISIBLE_DEVICES}, process runtime) or {@code none}
 * @param volumeStorage whether the agent was joined with volume storage ({@code ocean-agent join
 *     --storage}); null when the agent did not say (an older agent), which reads as yes
 * @param storageProblem why the agent, joined with volume storage, cannot offer it now (e.g. {@code
 *     run-as nobody cannot enter --storage /x/y: /x is 0700}); null when it can, when it has none,
 *     or when an older agent did not say
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RuntimeInfo(
    String kind, String problem, String gpuHandoff, Boolean volumeStorage, String storageProblem) {
  public static final String DOCKER = "docker";
  public static final String PROCESS = "process";
  public static final String HANDOFF_NVIDIA_RUNTIME = "nvidia-runtime";
  public static final String HANDOFF_CDI = "cdi";
  public static final String HANDOFF_ENV = "env";
  public static final String HANDOFF_NONE = "none";

  /** The longest {@link #storageProblem} sent; a longer sentence is cut. */
  public static final int STORAGE_PROBLEM_MAX = 900;

  /** A runtime report that says nothing of why storage is missing (as agents before it sent). */
  public RuntimeInfo(String kind, String problem, String gpuHandoff, Boolean volumeStorage) {
    this(kind, problem, gpuHandoff, volumeStorage, null);
  }

  /** The same runtime, saying whether the agent has volume storage. */
  public RuntimeInfo withVolumeStorage(boolean storage) {
    return new RuntimeInfo(kind, problem, gpuHandoff, storage, null);
  }

  /**
   * The same runtime, whose volume storage is unusable for {@code why} (a sentence), or usable when
   * {@code why} is null.
   */
  public RuntimeInfo withStorageProblem(String why) {
    if (why != null && why.length() > STORAGE_PROBLEM_MAX) {
      // the server refuses longer text, and with it the whole heartbeat; paths can be 4096 long
      why = why.substring(0, STORAGE_PROBLEM_MAX - 3) + "...";
    }
    return new RuntimeInfo(kind, problem, gpuHandoff, why == null, why);
  }

  /** Whether runs of jobs with a volume can start here; unknown (an older agent) reads as yes. */
  public boolean hasVolumeStorage() {
    return volumeStorage == null || volumeStorage;
  }

  /** Whether runs can start on this runtime now. */
  public boolean usable() {
    return problem == null;
  }

  /** Whether GPUs can be handed to the runs this runtime starts. */
  public boolean handsOffGpus() {
    return gpuHandoff != null && !gpuHandoff.equals(HANDOFF_NONE);
  }
}
