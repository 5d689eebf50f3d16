package dev.ocean.common.api.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A batch job: {@code repeat} runs of one command, at most {@code parallel} at once.
 *
 * @param state {@code pending}, {@code running}, {@code succeeded}, {@code failed} or {@code
 *     cancelled}
 * @param exitCode the first non-zero exit code of its runs, or 0 when all succeeded; null while
 *     active
 * @param retries how often a run is requeued when its node is lost under it
 */
public record Job(
    long id,
    String name,
    String user,
    String machineType,
    String image,
    String volume,
    List<String> command,
    Map<String, String> env,
    String reason,
    int repeat,
    int parallel,
    String state,
    Instant createdAt,
    Instant finishedAt,
    Integer exitCode,
    List<Run> runs,
    int retries) {

  /** The body of {@code POST /api/v1/jobs}. */
  public record Submit(
      String name,
      String machineType,
      String image,
      String volume,
      List<String> command,
      Map<String, String> env,
      Integer repeat,
      Integer parallel,
      String reason,
      Integer retries) {

    /** The JSON form always names every field; one constructor, so no field is ever dropped. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public Submit {}
  }
}
