package dev.ocean.agent.work;

import java.time.Duration;

/**
 * How often and how patiently the work loop talks to the server; production uses {@link
 * #defaults()}, tests shrink the waits.
 *
 * @param pollWait how long the server may hold a work long poll open
 * @param shipInterval how often new log bytes are shipped while a run writes output
 * @param minBackoff first pause after the server could not be reached
 * @param maxBackoff longest pause between retries
 * @param stopGrace time between SIGTERM and SIGKILL when a user cancels a run
 * @param idlePause pause before the next poll when an answer held nothing new for this agent
 */
public record WorkTiming(
    Duration pollWait,
    Duration shipInterval,
    Duration minBackoff,
    Duration maxBackoff,
    Duration stopGrace,
    Duration idlePause) {

  public static WorkTiming defaults() {
    return new WorkTiming(
        Duration.ofSeconds(25),
        Duration.ofMillis(200),
        Duration.ofMillis(500),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        Duration.ofMillis(500));
  }

  Backoff backoff() {
    return new Backoff(minBackoff, maxBackoff);
  }
}
