package dev.ocean.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.job.Job;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** List endpoints read a fixed number of queries, however many rows they answer with. */
class ListQueryCountTest {
  @TempDir Path dir;

  /** Counts statements run for requests, not by the server's own background threads. */
  private static final class RequestStatements implements SqlLogger {
    final AtomicInteger count = new AtomicInteger();

    @Override
    public void logBeforeExecution(StatementContext context) {
      if (!Thread.currentThread().getName().startsWith("ocean-")) {
        count.incrementAndGet();
      }
    }

    int during(Runnable call) {
      int before = count.get();
      call.run();
      return count.get() - before;
    }
  }

  @Test
  void listingJobsAndQuotasTakesAsManyQueriesForSixRowsAsForOne() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      var statements = new RequestStatements();
      c.server.database().jdbi().setSqlLogger(statements);
      c.admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "g1", 8, 1), Quota.class);
      c.submit("first", null, 2);
      int oneJob = statements.during(() -> c.admin.get("/jobs?all=true", Job[].class));
      int oneQuota = statements.during(() -> c.admin.get("/admin/quotas", Quota[].class));
      for (int i = 0; i < 5; i++) {
        c.submit("more-" + i, null, 2);
        String type = "t" + i;
        c.admin.post(
            "/machine-types",
            new MachineType.Create(type, 1, 1, 0, null, null, null),
            MachineType.class);
        c.admin.post(
            "/admin/quotas", new Quota.Grant("admin@example.com", type, 1, 1), Quota.class);
      }

      // five jobs the list has not written yet: read like the first one, not one by one
      assertEquals(
          oneJob,
          statements.during(
              () -> assertEquals(6, c.admin.get("/jobs?all=true", Job[].class).length)));
      // unchanged jobs are not read again at all (JobListing)
      int again = statements.during(() -> c.admin.get("/jobs?all=true", Job[].class));
      assertTrue(again <= oneJob, again + " statements");
      assertEquals(oneQuota, statements.during(() -> c.admin.get("/admin/quotas", Quota[].class)));
    }
  }

  @Test
  void submittingAThousandRunsTakesAsManyStatementsAsTwoRuns() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      var statements = new RequestStatements();
      c.server.database().jdbi().setSqlLogger(statements);
      c.submit("warm", null, 2);
      int two = statements.during(() -> c.submit("two", null, 2));
      int thousand = statements.during(() -> c.submit("thousand", null, 1000));

      assertEquals(two, thousand);
      assertEquals(1000, c.job(c.submit("again", null, 1000).id()).runs().size());
    }
  }
}
