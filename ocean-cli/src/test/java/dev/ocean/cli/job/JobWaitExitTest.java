package dev.ocean.cli.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How {@code job wait} and {@code submit --wait} end for each way a job can end: the exit code and
 * the sentence on stderr, for the failures a test cluster cannot stage (image pull, node loss).
 */
class JobWaitExitTest {
  private static final Instant T = Instant.parse("2030-01-15T09:00:00Z");

  private static Run run(int index, String state, Integer exit, String reason) {
    return new Run(index, state, "n1", List.of(), T, T, T, exit, reason, null, null, 1, null);
  }

  private static Job job(String state, Integer exit, Run... runs) {
    return new Job(
        7,
        "j",
        "ada@example.com",
        "g1",
        "img",
        null,
        List.of("true"),
        Map.of(),
        null,
        runs.length,
        1,
        state,
        T,
        T,
        exit,
        List.of(runs),
        0);
  }

  private static String told(Job j, int expectedExit) {
    List<String> said = new ArrayList<>();
    assertEquals(expectedExit, JobFollow.exitCode(j, said::add));
    return String.join("\n", said);
  }

  @Test
  void eachEndHasItsExitCodeAndSentence() {
    assertEquals("", told(job("succeeded", 0, run(0, "succeeded", 0, null)), 0));
    assertEquals(
        "Job 7 failed: run 1 exited with code 7.",
        told(job("failed", 7, run(0, "succeeded", 0, null), run(1, "failed", 7, null)), 7));
    assertEquals(
        "Job 7 failed: run 0: image pull failed: manifest unknown.",
        told(
            job("failed", null, run(0, "failed", null, "image pull failed: manifest unknown")), 1));
    assertEquals(
        "Job 7 failed: run 0: node lost.",
        told(job("failed", null, run(0, "failed", null, "node lost")), 1));
    assertEquals(
        "Job 7 was cancelled.",
        told(job("cancelled", null, run(0, "cancelled", null, "cancelled by user")), 143));
  }

  @Test
  void aJobCancelledByAQuotaRevokeSaysSoAndWhatSucceeded() {
    assertEquals(
        "Job 7 was cancelled: quota revoked (runs 1, 2); run 0 succeeded.",
        told(
            job(
                "cancelled",
                null,
                run(0, "succeeded", 0, null),
                run(1, "cancelled", null, "quota revoked"),
                run(2, "cancelled", null, "quota revoked")),
            143));
  }
}
