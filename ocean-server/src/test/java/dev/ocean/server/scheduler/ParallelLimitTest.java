package dev.ocean.server.scheduler;

import static dev.ocean.server.scheduler.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.server.scheduler.ParallelLimit.JobRuns;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParallelLimitTest {

  /** Pending runs {@code from..to-1} of a job, all submitted together. */
  private static List<QueuedRun> pendingRuns(long jobId, int from, int to) {
    List<QueuedRun> runs = new ArrayList<>();
    for (int i = to - 1; i >= from; i--) { // reversed: the limit must not rely on input order
      runs.add(run(jobId).index(i).build());
    }
    return runs;
  }

  private static List<String> labels(List<QueuedRun> runs) {
    return runs.stream().map(QueuedRun::label).toList();
  }

  @Test
  void repeatTenParallelThreeWithOneRunningMakesTwoEligible() {
    var job = new JobRuns(7, 3, 1, pendingRuns(7, 1, 10));

    assertEquals(
        List.of("job 7 run 1", "job 7 run 2"), labels(ParallelLimit.eligible(List.of(job))));
  }

  @Test
  void jobAtItsLimitHasNoEligibleRuns() {
    var atLimit = new JobRuns(1, 2, 2, pendingRuns(1, 2, 5));
    var overLimit = new JobRuns(2, 1, 3, pendingRuns(2, 3, 5));

    assertEquals(List.of(), ParallelLimit.eligible(List.of(atLimit, overLimit)));
  }

  @Test
  void fewerPendingRunsThanSlotsAreAllEligible() {
    var job = new JobRuns(3, 4, 0, pendingRuns(3, 0, 2));

    assertEquals(2, ParallelLimit.eligible(List.of(job)).size());
  }

  @Test
  void eligibleRunsOfSeveralJobsComeInQueueOrder() {
    var later = new JobRuns(9, 1, 0, List.of(run(9).seq(20).build()));
    var earlier = new JobRuns(4, 2, 0, pendingRuns(4, 0, 3));

    assertEquals(
        List.of("job 4 run 0", "job 4 run 1", "job 9 run 0"),
        labels(ParallelLimit.eligible(List.of(later, earlier))));
  }

  @Test
  void runOfAnotherJobIsRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> new JobRuns(1, 1, 0, List.of(run(2).build())));
  }
}
