package dev.ocean.agent.work;

import java.time.Duration;

/** Exponential retry pauses for one caller: doubles from a minimum up to a maximum. */
final class Backoff {
  private final Duration min;
  private final Duration max;
  private Duration next;

  Backoff(Duration min, Duration max) {
    this.min = min;
    this.max = max;
    this.next = min;
  }

  /** The pause to take now; the one after it is twice as long, up to the maximum. */
  Duration next() {
    Duration now = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return now;
  }

  void reset() {
    next = min;
  }
}
