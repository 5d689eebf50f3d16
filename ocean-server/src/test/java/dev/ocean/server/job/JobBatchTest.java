package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.User;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.JobBatch;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /jobs/batch}: many different jobs admitted together, or none of them. */
class JobBatchTest {
  @TempDir Path dir;
  ScriptedCluster c;

  @BeforeEach
  void start() throws Exception {
    c = new ScriptedCluster(dir, TestStorage.SQLITE);
  }

  @AfterEach
  void stop() {
    c.close();
  }

  private static Job.Submit job(String name, String image, Integer repeat, String... command) {
    return new Job.Submit(
        name, "g1", image, null, List.of(command), Map.of("N", name), repeat, null, null, null);
  }

  private JobBatch.Submitted submit(OceanClient who, List<Job.Submit> jobs) {
    return who.post("/jobs/batch", new JobBatch(jobs), JobBatch.Submitted.class);
  }

  private int jobCount() {
    return c.admin.get("/jobs?all=true", Job[].class).length;
  }

  @Test
  void differentJobsAreQueuedInTheOrderGivenWithTheirOwnCommands() {
    var ids =
        submit(
                c.admin,
                List.of(
                    job("prep", "busybox", 1, "echo", "prep"),
                    job("train", "busybox", 2, "python", "train.py\n--epochs 3"),
                    job("eval", "busybox", null, "true")))
            .ids();

    assertEquals(3, ids.size());
    assertTrue(ids.get(0) < ids.get(1) && ids.get(1) < ids.get(2), "ids in order: " + ids);
    Job train = c.job(ids.get(1));
    assertEquals("train", train.name());
    assertEquals(List.of("python", "train.py\n--epochs 3"), train.command());
    assertEquals(Map.of("N", "train"), train.env());
    assertEquals(2, train.runs().size());
    assertEquals("pending", c.job(ids.get(2)).state());
  }

  @Test
  void oneBadJobRefusesTheBatchNamingItsIndexAndFieldAndWritesNothing() {
    int before = jobCount();
    var unknownImage =
        assertThrows(
            OceanApiException.class,
            () ->
                submit(
                    c.admin,
                    List.of(
                        job("a", "busybox", 1, "true"),
                        job("b", "busybox", 1, "true"),
                        job("c", "no-such-image", 1, "true"))));
    assertEquals("jobs[2].image", unknownImage.problem().field());
    assertTrue(unknownImage.getMessage().startsWith("job 2: "), unknownImage.getMessage());

    var badRepeat =
        assertThrows(
            OceanApiException.class,
            () ->
                submit(
                    c.admin,
                    List.of(job("a", "busybox", 1, "true"), job("b", "busybox", 0, "true"))));
    assertEquals(400, badRepeat.status());
    assertEquals("jobs[1].repeat", badRepeat.problem().field());

    assertEquals(before, jobCount(), "nothing of a refused batch is queued");
  }

  @Test
  void aBatchOverQuotaAsAWholeIsRefusedAndWritesNothing() {
    // the cluster's quota is 4 units of g1; each of these jobs alone would fit
    var jobs = new ArrayList<Job.Submit>();
    for (int i = 0; i < 5; i++) {
      jobs.add(job("j" + i, "busybox", 1, "true"));
    }

    var e = assertThrows(OceanApiException.class, () -> submit(c.admin, jobs));

    assertEquals(409, e.status());
    assertEquals("Quota exceeded", e.problem().title());
    assertTrue(e.getMessage().contains("the 5 jobs of this batch ask for 5"), e.getMessage());
    assertEquals(0, jobCount());
    assertEquals(4, submit(c.admin, jobs.subList(0, 4)).ids().size(), "four fit");
  }

  @Test
  void aBadJobIsNamedEvenWhenTheBatchIsAlsoOverQuota() {
    // 5 units of g1 against a quota of 4, and the last job names an image that does not exist:
    // the user learns of the bad job now, not after asking for (and waiting on) more quota
    var jobs = new ArrayList<Job.Submit>();
    for (int i = 0; i < 4; i++) {
      jobs.add(job("j" + i, "busybox", 1, "true"));
    }
    jobs.add(job("bad", "nope", 1, "true"));

    var e = assertThrows(OceanApiException.class, () -> submit(c.admin, jobs));

    assertEquals(404, e.status());
    assertEquals("jobs[4].image", e.problem().field());
    assertEquals(0, jobCount());
  }

  @Test
  void aBatchOfOneJobOverQuotaSaysOneJob() {
    var four = new ArrayList<Job.Submit>();
    for (int i = 0; i < 4; i++) {
      four.add(job("j" + i, "busybox", 1, "true"));
    }
    submit(c.admin, four);

    var e =
        assertThrows(
            OceanApiException.class,
            () -> submit(c.admin, List.of(job("b", "busybox", 1, "true"))));

    assertTrue(e.getMessage().contains("the 1 job of this batch asks for 1 more"), e.getMessage());
  }

  @Test
  void anotherUserSeesNoneOfTheBatchAndKeepsTheirOwnJobs() {
    OceanClient.forUser(c.server.url(), null)
        .post("/auth/signup", new Credentials("bob@example.com", "Bob12345!x"), User.class);
    c.admin.post("/admin/quotas", new Quota.Grant("bob@example.com", "g1", 1, 1), Quota.class);
    OceanClient bob = c.login("bob@example.com", "Bob12345!x");
    long bobs = submit(bob, List.of(job("bobs", "busybox", 1, "true"))).ids().getFirst();

    submit(c.admin, List.of(job("a", "busybox", 1, "true"), job("b", "busybox", 1, "true")));

    Job[] seen = bob.get("/jobs", Job[].class);
    assertEquals(1, seen.length);
    assertEquals(bobs, seen[0].id());
    assertEquals("bob@example.com", seen[0].user());
  }

  @Test
  void listingAThousandPendingJobsTakesAHandfulOfStatements() {
    c.admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "g1", 1000, 1), Quota.class);
    var jobs = new ArrayList<Job.Submit>();
    for (int i = 0; i < 1000; i++) {
      jobs.add(job("j" + i, "busybox", 1 + i % 3, "echo", String.valueOf(i)));
    }
    submit(c.admin, jobs);
    AtomicInteger statements = new AtomicInteger();
    c.server
        .database()
        .jdbi()
        .setSqlLogger(
            new SqlLogger() {
              @Override
              public void logBeforeExecution(StatementContext context) {
                if (!Thread.currentThread().getName().startsWith("ocean-")) {
                  statements.incrementAndGet();
                }
              }
            });

    Job[] listed = c.admin.get("/jobs", Job[].class);

    assertEquals(1000, listed.length);
    assertEquals(1 + 999 % 3, listed[0].runs().size(), "newest first, with its runs");
    assertTrue(statements.get() <= 5, statements.get() + " statements for 1,000 jobs");
  }
}
