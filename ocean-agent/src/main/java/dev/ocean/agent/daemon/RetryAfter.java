package dev.ocean.agent.daemon;

import dev.ocean.common.client.OceanApiException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait when the server sheds load (503 or 429 with a {@code Retry-After}): the time it
 * asked for plus up to as much again at random, so that thousands of agents refused together do not
 * all come back in the same second and get refused together again.
 */
final class RetryAfter {
  private RetryAfter() {}

  /** The wait for this refusal, or empty when the server did not say when to come back. */
  static Optional<Duration> of(OceanApiException e) {
    long seconds = e.retryAfterSeconds();
    if (seconds <= 0 || (e.status() != 503 && e.status() != 429)) {
      return Optional.empty();
    }
    long millis = seconds * 1000;
    return Optional.of(
        Duration.ofMillis(millis + ThreadLocalRandom.current().nextLong(millis + 1)));
  }
}
