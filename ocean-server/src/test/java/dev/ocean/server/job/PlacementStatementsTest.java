package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Quota;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import dev.ocean.server.scheduler.Placement;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committing a scheduling plan settles each job it touched once, not once per placed run: a pass
 * that starts 1,000 runs of one job must not re-read and re-settle that job 1,000 times.
 */
class PlacementStatementsTest {
  @TempDir Path dir;

  @Test
  void aSecondRunOfTheSameJobCostsLessThanARunOfAnotherJob() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      // a drained node gets nothing from the scheduler, so only this test places runs
      c.admin.post("/admin/nodes/n1/drain", null, Object.class);
      c.admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "g1", 8, 1), Quota.class);
      long a = submit(c, "a", 1);
      long b = submit(c, "b", 2);
      long d = submit(c, "d", 1);
      long e = submit(c, "e", 1);
      AtomicInteger count = countStatementsOf(c, Thread.currentThread());

      int oneRun = statements(c, count, place(a, 0));
      int twoRunsOfOneJob = statements(c, count, place(b, 0), place(b, 1));
      int runsOfTwoJobs = statements(c, count, place(d, 0), place(e, 0));

      int secondRunSameJob = twoRunsOfOneJob - oneRun;
      int secondRunOtherJob = runsOfTwoJobs - oneRun;
      assertTrue(
          secondRunSameJob < secondRunOtherJob,
          secondRunSameJob
              + " statements for a second run of one job, "
              + secondRunOtherJob
              + " for one of another job");
      assertEquals("running", c.job(b).state());
      assertEquals(
          List.of("assigned", "assigned"), c.job(b).runs().stream().map(Run::state).toList());
    }
  }

  @Test
  void placingAThousandRunsOfAJobTakesNoMoreStatementsThanPlacingTwo() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      c.admin.post("/admin/nodes/n1/drain", null, Object.class);
      for (int grant : new int[] {1000, 2}) {
        c.admin.post(
            "/admin/quotas", new Quota.Grant("admin@example.com", "g1", grant, 1), Quota.class);
      }
      long two = submit(c, "two", 2);
      long many = submit(c, "many", 1000);
      AtomicInteger count = countStatementsOf(c, Thread.currentThread());

      int forTwo = statements(c, count, place(two, 0), place(two, 1));
      Placement[] thousand = new Placement[1000];
      for (int i = 0; i < thousand.length; i++) {
        thousand[i] = new Placement(many, i, "n1", List.of(i % 8));
      }
      int forThousand = statements(c, count, thousand);

      assertEquals(forTwo, forThousand, "statements to place 2 runs vs 1,000 runs of one job");
      assertTrue(c.job(many).runs().stream().allMatch(r -> r.state().equals("assigned")));
    }
  }

  @Test
  void aRunPlacedTwiceInOnePassIsAssignedOnceToTheFirstNode() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      c.admin.post("/admin/nodes/n1/drain", null, Object.class);
      c.admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "g1", 8, 1), Quota.class);
      long a = submit(c, "a", 1);

      List<String> nodes =
          c.server
              .database()
              .jdbi()
              .inTransaction(
                  h ->
                      c.server
                          .jobs()
                          .assign(
                              h,
                              List.of(
                                  new Placement(a, 0, "n1", List.of(0)),
                                  new Placement(a, 0, "n2", List.of(1))),
                              1L));

      assertEquals(List.of("n1"), nodes);
      Run run = c.job(a).runs().getFirst();
      assertEquals("assigned", run.state());
      assertEquals("n1", run.node());
    }
  }

  @Test
  void aPassThatPlacesNothingDoesNotWaitForAWriter() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      // a drained node gets nothing, so the queue below cannot be placed
      c.admin.post("/admin/nodes/n1/drain", null, Object.class);
      long waiting = submit(c, "waits", 2);
      CountDownLatch writing = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(1);
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () ->
                      c.server
                          .database()
                          .jdbi()
                          .useTransaction(
                              h -> {
                                writing.countDown();
                                try {
                                  done.await();
                                } catch (InterruptedException e) {
                                  Thread.currentThread().interrupt();
                                }
                              }));
      writing.await();
      try {
        // A pass that needed the write lock would hang here until the writer ends.
        CompletableFuture.runAsync(() -> c.server.scheduler().pass()).get(60, TimeUnit.SECONDS);
      } finally {
        done.countDown();
        writer.join();
      }
      assertEquals("pending", c.job(waiting).state());
      assertNotNull(c.job(waiting).runs().getFirst().waitReason());
    }
  }

  private static long submit(ScriptedCluster c, String name, int repeat) {
    return c.admin
        .post(
            "/jobs",
            new Job.Submit(
                name, "g1", "busybox", null, List.of("true"), Map.of(), repeat, repeat, null, null),
            Job.class)
        .id();
  }

  private static Placement place(long job, int run) {
    return new Placement(job, run, "n1", List.of(run));
  }

  private static AtomicInteger countStatementsOf(ScriptedCluster c, Thread thread) {
    AtomicInteger count = new AtomicInteger();
    c.server
        .database()
        .jdbi()
        .setSqlLogger(
            new SqlLogger() {
              @Override
              public void logBeforeExecution(StatementContext context) {
                if (Thread.currentThread() == thread) {
                  count.incrementAndGet();
                }
              }
            });
    return count;
  }

  private static int statements(ScriptedCluster c, AtomicInteger count, Placement... placements) {
    int before = count.get();
    List<String> nodes =
        c.server
            .database()
            .jdbi()
            .inTransaction(h -> c.server.jobs().assign(h, List.of(placements), 1L));
    assertEquals(placements.length, nodes.size());
    return count.get() - before;
  }
}
