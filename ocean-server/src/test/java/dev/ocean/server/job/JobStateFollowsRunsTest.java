package dev.ocean.server.job;

import static dev.ocean.server.job.RunState.ASSIGNED;
import static dev.ocean.server.job.RunState.CANCELLED;
import static dev.ocean.server.job.RunState.FAILED;
import static dev.ocean.server.job.RunState.PENDING;
import static dev.ocean.server.job.RunState.RUNNING;
import static dev.ocean.server.job.RunState.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.api.job.Job;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A job's state is derived from its runs, by one rule, whatever changed them. */
class JobStateFollowsRunsTest {
  @TempDir Path dir;

  @Test
  void theRuleGivesEachMixOfRunsItsJobState() {
    assertEquals("pending", JobSettlement.derive(Map.of(PENDING, 3)));
    assertEquals("running", JobSettlement.derive(Map.of(PENDING, 2, ASSIGNED, 1)));
    assertEquals("running", JobSettlement.derive(Map.of(PENDING, 1, SUCCEEDED, 1)));
    assertEquals("running", JobSettlement.derive(Map.of(RUNNING, 1, FAILED, 1)));
    assertEquals("failed", JobSettlement.derive(Map.of(SUCCEEDED, 1, FAILED, 1, CANCELLED, 1)));
    assertEquals("cancelled", JobSettlement.derive(Map.of(SUCCEEDED, 1, CANCELLED, 1)));
    assertEquals("succeeded", JobSettlement.derive(Map.of(SUCCEEDED, 2)));
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aJobWhoseOnlyRunIsRequeuedIsPendingAgainThenRunsAgain(TestStorage storage) throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      Job job =
          c.admin.post(
              "/jobs",
              new Job.Submit(
                  "retry", "g1", "busybox", null, List.of("true"), Map.of(), 1, 1, null, 1),
              Job.class);
      var first = c.next();
      c.report(first.runId(), "running", null);
      assertEquals("running", c.job(job.id()).state());
      c.server
          .database()
          .jdbi()
          .useHandle(h -> h.execute("UPDATE nodes SET state = 'lost' WHERE name = 'n1'"));
      c.server.jobs().nodeLost("n1");

      Job requeued = c.job(job.id());
      assertEquals("pending", requeued.runs().getFirst().state());
      assertEquals("pending", requeued.state(), "the job follows its only run back to the queue");
      assertEquals(1, c.admin.get("/jobs?state=pending", Job[].class).length);

      c.server
          .database()
          .jdbi()
          .useHandle(h -> h.execute("UPDATE nodes SET state = 'ready' WHERE name = 'n1'"));
      c.server.scheduler().pass();
      assertEquals("running", c.job(job.id()).state(), "assigned again");
      var second = c.next();
      c.report(second.runId(), "running", null);
      c.admin.post("/jobs/" + job.id() + "/cancel", null, Job.class);
      c.report(second.runId(), "cancelled", 143);
      Job cancelled = c.job(job.id());
      assertEquals("cancelled", cancelled.state());
      assertEquals(2, cancelled.runs().getFirst().attempt());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void cancellingEndsQueuedRunsAtOnceWithoutAStartAndAsksAgentsToStopTheRest(TestStorage storage)
      throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      Job job =
          c.admin.post(
              "/jobs",
              new Job.Submit(
                  "wide", "g1", "busybox", null, List.of("true"), Map.of(), 3, 3, null, null),
              Job.class);
      var started = c.poll().start();
      assertEquals(2, started.size(), "the node has two GPUs");
      for (var a : started) {
        c.report(a.runId(), "running", null);
      }

      Job after = c.admin.post("/jobs/" + job.id() + "/cancel", null, Job.class);

      var queued = after.runs().get(2);
      assertEquals("cancelled", queued.state());
      assertEquals("cancelled by user", queued.reason());
      assertEquals(null, queued.startedAt(), "a run that never left the queue never started");
      assertEquals("running", after.state(), "two runs still stop on the node");
      for (var a : started) {
        c.report(a.runId(), "cancelled", 143);
      }
      assertEquals("cancelled", c.job(job.id()).state());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aRunItsNodeNeverStartedGoesBackToTheQueueWhenTheNodeGoes(TestStorage storage)
      throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      Job job = c.submit("never-started", null, 1);
      var assigned = c.next();
      assertEquals(job.id() + "-0", assigned.runId().replaceAll("\\.\\d+$", ""));
      c.admin.post("/admin/nodes/n1/remove?force=true", null, Object.class);
      var run = c.job(job.id()).runs().getFirst();
      assertEquals("pending", run.state(), "nothing of it ran, so it waits again: " + run);
      assertEquals(null, run.node());
      assertEquals(null, run.startedAt());
      assertEquals("pending", c.job(job.id()).state());
    }
  }
}
