package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.AuditEntry;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.JobBatch;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A large batch, written a table at a time in several multi-row statements, stores each job as
 * given under the id it answered, holds exactly its units of quota and leaves one audit entry per
 * job, on both databases.
 */
class JobBatchRowsTest {
  /** More jobs than one multi-row INSERT holds, and not a multiple of it. */
  private static final int JOBS = 2 * BatchInserts.JOBS_PER_STATEMENT + 37;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void everyJobOfALargeBatchIsStoredAsGivenUnderItsIdAndHoldsItsQuota(TestStorage storage)
      throws Exception {
    try (ScriptedCluster c = new ScriptedCluster(dir, storage)) {
      // the cluster grants 4 units; room for the batch and exactly two more
      c.admin.post(
          "/admin/quotas", new Quota.Grant("admin@example.com", "g1", JOBS - 2, 1), Quota.class);
      List<Job.Submit> jobs = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        int repeat = i % 7 == 0 ? 3 : 1;
        jobs.add(
            new Job.Submit(
                "sweep-" + i,
                "g1",
                "busybox",
                null,
                List.of("echo", String.valueOf(i)),
                Map.of("SEED", String.valueOf(i)),
                repeat,
                1,
                null,
                null));
      }

      List<Long> ids =
          c.admin.post("/jobs/batch", new JobBatch(jobs), JobBatch.Submitted.class).ids();

      assertEquals(JOBS, ids.size());
      for (int i = 1; i < JOBS; i++) {
        assertTrue(ids.get(i - 1) < ids.get(i), "ids rise in the order given: " + ids);
      }
      Map<Long, Job> stored =
          Arrays.stream(c.admin.get("/jobs?all=true", Job[].class))
              .collect(Collectors.toMap(Job::id, j -> j));
      for (int i = 0; i < JOBS; i++) {
        Job j = stored.get(ids.get(i));
        assertEquals("sweep-" + i, j.name(), "job " + i);
        assertEquals(List.of("echo", String.valueOf(i)), j.command(), "job " + i);
        assertEquals(Map.of("SEED", String.valueOf(i)), j.env(), "job " + i);
        assertEquals(i % 7 == 0 ? 3 : 1, j.runs().size(), "job " + i);
      }
      int inUse =
          Arrays.stream(c.admin.get("/quotas", Quota[].class))
              .filter(q -> q.machineType().equals("g1"))
              .mapToInt(Quota::inUse)
              .sum();
      assertEquals(JOBS, inUse, "each job holds one unit (parallel 1)");
      AuditEntry[] audit = c.admin.get("/admin/audit?limit=1000", AuditEntry[].class);
      Set<String> audited =
          Arrays.stream(audit)
              .filter(e -> e.action().equals("job.submit"))
              .map(AuditEntry::resource)
              .collect(Collectors.toSet());
      for (long id : ids) {
        assertTrue(audited.contains("job/" + id), "job " + id + " is audited");
      }

      // the kept total counts the whole batch: two more fit, a third does not
      c.submit("fits", null, 1);
      c.submit("fits-too", null, 1);
      var refused = assertThrows(OceanApiException.class, () -> c.submit("over", null, 1));
      assertEquals(409, refused.status());
    }
  }
}
