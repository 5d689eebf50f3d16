package dev.ocean.common.api.instance;

import java.time.Instant;

/**
 * The body of {@code POST /api/v1/instances/{name}/extend}: keep an idle instance from being
 * stopped for {@code hours} from now (null: as long as the admin allows). More than the machine
 * type's cap is clamped to the cap, and the answer says so.
 */
public record InstanceExtend(Integer hours) {

  @com.fasterxml.jackson.annotation.JsonCreator
  public InstanceExtend {}

  /**
   * The answer.
   *
   * @param extendedUntil idle stop waits at least until then
   * @param capped true when the hours asked for went beyond the cap
   * @param capHours the machine type's cap, counted from now
   * @param idle the instance's idle outlook now, or null when it is not running
   * @param message one sentence for people
   */
  public record Result(
      String name,
      Instant extendedUntil,
      boolean capped,
      int capHours,
      Instance.IdleOutlook idle,
      String message) {}
}
