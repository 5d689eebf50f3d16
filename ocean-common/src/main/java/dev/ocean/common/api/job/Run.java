package dev.ocean.common.api.job;

import java.time.Instant;
import java.util.List;

/**
 * One run of a job, with where and when it ran; a pending run says where it stands in the queue and
 * why it waits.
 *
 * @param state {@code pending}, {@code assigned}, {@code running}, {@code succeeded}, {@code
 *     failed} or {@code cancelled}
 * @param queuePosition 1-based place among waiting runs, for pending runs
 * @param waitReason why a pending run has not started, in words
 * @param attempt 1, or more after the run was requeued because its node was lost
 * @param volumeDir where the run saw its volume ({@code /home/linuxbrew} in a container, a host
 *     directory on a process node), as its agent reported; null without a volume or before start
 */
public record Run(
    int index,
    String state,
    String node,
    List<Integer> gpus,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Integer exitCode,
    String reason,
    Integer queuePosition,
    String waitReason,
    int attempt,
    String volumeDir) {}
