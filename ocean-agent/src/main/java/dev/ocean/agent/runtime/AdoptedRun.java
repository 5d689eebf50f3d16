package dev.ocean.agent.runtime;

/**
 * A run found by {@link RunRuntime#recover}: still running (its handle completes later) or ended
 * while the agent was down (its handle is already complete).
 */
public record AdoptedRun(
    String runId, long jobId, int runIndex, boolean running, RunHandle handle) {

  /** The exit code of a run that had already ended; {@link RunRuntime#EXIT_UNKNOWN} otherwise. */
  public int exitCodeIfEnded() {
    return running ? RunRuntime.EXIT_UNKNOWN : handle.exitCode().join();
  }
}
