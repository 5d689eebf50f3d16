package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import dev.ocean.common.api.job.Work;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way from the queue to an agent: a poll that hands out runs writes their workload tokens in a
 * transaction (queued behind other writers, not racing them for SQLite's lock and failing "database
 * is locked" when thousands of nodes wake at once), and passes that run at the same time as polls
 * never give one run or one GPU twice.
 */
class AssignmentPathTest {
  @TempDir Path dir;

  @Test
  void aPollHandingOutRunsWritesTheirTokensInsideATransaction() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      long job = submit(c, 2);
      c.server.scheduler().pass();
      List<Boolean> autoCommit = new CopyOnWriteArrayList<>();
      c.server
          .database()
          .jdbi()
          .setSqlLogger(
              new SqlLogger() {
                @Override
                public void logBeforeExecution(StatementContext context) {
                  String sql = context.getRawSql();
                  if (sql.contains("workload_tokens") && !sql.trim().startsWith("SELECT")) {
                    try {
                      autoCommit.add(context.getConnection().getAutoCommit());
                    } catch (java.sql.SQLException e) {
                      throw new IllegalStateException(e);
                    }
                  }
                }
              });

      Work work = c.poll();

      assertEquals(2, work.start().size());
      for (Assignment a : work.start()) {
        assertEquals(job, a.jobId());
        assertTrue(a.env().get("OCEAN_TOKEN").startsWith("ow_"), a.env().toString());
      }
      assertTrue(autoCommit.size() >= 2, "token writes: " + autoCommit);
      assertTrue(autoCommit.stream().noneMatch(b -> b), "a token write in autocommit mode");
    }
  }

  @Test
  void passesRacingPollsGiveEachRunAndEachGpuOnce() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      long job = submit(c, 4); // the node has 2 GPUs, each run takes one
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      for (int t = 0; t < 4; t++) {
        boolean polls = t % 2 == 0;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        go.await();
                        for (int i = 0; i < 5; i++) {
                          if (polls) {
                            c.node.get("/agent/work?wait=0", Work.class);
                          } else {
                            c.server.scheduler().pass();
                          }
                        }
                      } catch (Throwable e) {
                        failures.add(e);
                      }
                    }));
      }
      go.countDown();
      for (Thread t : threads) {
        t.join();
      }

      assertEquals(List.of(), failures);
      List<Run> runs = c.job(job).runs();
      List<Run> assigned = runs.stream().filter(r -> r.state().equals("assigned")).toList();
      assertEquals(2, assigned.size(), runs.toString());
      Set<Integer> gpus = new HashSet<>();
      assigned.forEach(r -> gpus.addAll(r.gpus()));
      assertEquals(Set.of(0, 1), gpus);
      assertEquals(2, c.poll().start().size(), "the node gets both runs, each once");
    }
  }

  private static long submit(ScriptedCluster c, int runs) {
    return c.admin
        .post(
            "/jobs",
            new Job.Submit(
                "t", "g1", "busybox", null, List.of("true"), Map.of(), runs, runs, null, null),
            Job.class)
        .id();
  }
}
