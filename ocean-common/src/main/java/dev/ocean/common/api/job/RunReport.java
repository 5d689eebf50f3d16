package dev.ocean.common.api.job;

/**
 * An agent's report of a run's new state.
 *
 * @param state {@code running}, {@code succeeded}, {@code failed} or {@code cancelled}
 * @param exitCode the process's exit code when it ended (-1 when it cannot be known)
 * @param reason a short reason when it failed without an exit code (e.g. image missing)
 */
public record RunReport(String state, Integer exitCode, String reason) {}
