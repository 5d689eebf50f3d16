package dev.ocean.common.api.job;

/**
 * An agent's report of a run's new state.
 *
 * @param state {@code running}, {@code succeeded}, {@code failed} or {@code cancelled}
 * @param exitCode the process's exit code when it ended; null when it cannot be known (never a
 *     made-up number)
 * @param reason a short reason when it failed without an exit code (e.g. image missing)
 * @param volumeDir with {@code running}: where the run sees its volume ({@code /home/linuxbrew} in
 *     a container, a host directory for the process runtime), or null
 * @param endpoints with {@code running} for an instance: where users reach it; null for jobs
 */
public record RunReport(
    String state,
    Integer exitCode,
    String reason,
    String volumeDir,
    dev.ocean.common.api.instance.InstanceEndpoints endpoints) {}
