package dev.ocean.common.api.job;

import java.util.List;
import java.util.Map;

/**
 * A run the server hands to an agent to start.
 *
 * @param runId {@code JOBID-INDEX.ATTEMPT} ({@link dev.ocean.common.api.agent.RunId}), the run's
 *     name in every agent call
 * @param command the argument vector; never joined into a shell string
 * @param env variables to set, {@code OCEAN_JOB_ID} and {@code OCEAN_RUN_INDEX} included
 * @param volumePath the volume's path relative to the node's storage root, or null
 * @param gpus the GPU indices the run gets, whole
 * @param attempt 1, or more when the run was requeued after its node was lost
 * @param instance null for a job's run; for an instance, what the agent needs to start it
 */
public record Assignment(
    String runId,
    long jobId,
    int runIndex,
    String image,
    List<String> command,
    Map<String, String> env,
    String volumePath,
    int cpus,
    long memoryMib,
    List<Integer> gpus,
    int attempt,
    dev.ocean.common.api.instance.InstanceSpec instance) {

  /** The JSON form names every field; an older server's assignments read as attempt 1. */
  @com.fasterxml.jackson.annotation.JsonCreator
  public Assignment {
    attempt = Math.max(1, attempt);
  }
}
