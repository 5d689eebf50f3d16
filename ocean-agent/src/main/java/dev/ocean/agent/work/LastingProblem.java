package dev.ocean.agent.work;

import java.time.Duration;

/**
 * A failure that lasts and is retried often (a container engine that is down, tried with every poll
 * for work): it is worth a log line when it starts or changes, a reminder at most every {@link
 * #REPEAT}, and one line when it ends, not one line per try (qa11 T13).
 */
final class LastingProblem {
  static final Duration REPEAT = Duration.ofMinutes(10);

  private String problem;
  private long saidAt;

  /** Whether to log that it fails with {@code text} at {@code nanos} (a {@code nanoTime}). */
  synchronized boolean failing(String text, long nanos) {
    String now = String.valueOf(text);
    if (now.equals(problem) && nanos - saidAt < REPEAT.toNanos()) {
      return false;
    }
    problem = now;
    saidAt = nanos;
    return true;
  }

  /** Whether a failure was going on until now (so its end is worth a line). */
  synchronized boolean ended() {
    boolean was = problem != null;
    problem = null;
    return was;
  }
}
