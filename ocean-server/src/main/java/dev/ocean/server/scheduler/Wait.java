package dev.ocean.server.scheduler;

import java.util.Objects;

/**
 * A run that stays pending after this plan.
 *
 * @param position 1-based place among the runs still waiting, in queue order
 * @param detail one sentence for the user, e.g. which node it waits for
 */
public record Wait(long jobId, int runIndex, int position, WaitReason reason, String detail) {

  public Wait {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    if (position < 1) {
      throw new IllegalArgumentException("position is 1-based: " + position);
    }
  }
}
