package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run ids carry the attempt, so what an earlier attempt of a requeued run sends is refused. */
class StaleAttemptTest {
  @TempDir Path dir;

  @Test
  void aLateReportOrLogOfTheRequeuedAttemptIsRefusedAndLeavesTheNewAttemptAlone() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      Job job =
          c.admin.post(
              "/jobs",
              new Job.Submit(
                  "retry", "g1", "busybox", null, List.of("true"), Map.of(), 1, 1, null, 1),
              Job.class);
      Assignment first = c.next();
      assertEquals(job.id() + "-0.1", first.runId());
      c.report(first.runId(), "running", null);
      loseAndReturn(c);
      Assignment second = c.next();
      assertEquals(job.id() + "-0.2", second.runId());
      assertNotEquals(first.runId(), second.runId());
      c.report(second.runId(), "running", null);
      ship(c, second.runId(), 0, "second\n");

      OceanApiException late =
          assertThrows(OceanApiException.class, () -> c.report(first.runId(), "failed", 1));
      assertEquals(409, late.status());
      assertEquals("runId", late.problem().field());
      OceanApiException lateLog =
          assertThrows(OceanApiException.class, () -> ship(c, first.runId(), 7, "first\n"));
      assertEquals(409, lateLog.status());

      var run = c.job(job.id()).runs().getFirst();
      assertEquals("running", run.state(), "the late failure did not end the new attempt");
      assertEquals(2, run.attempt());
      assertEquals("second\n", log(c, job.id()), "the late chunk did not land on the new log");
    }
  }

  @Test
  void anOlderAgentsRunIdWithoutTheAttemptSpeaksForTheCurrentAttempt() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      Job job = c.submit("old-agent", null, 1);
      Assignment a = c.next();
      String legacy = job.id() + "-0";
      assertEquals(List.of(), c.poll(legacy).start(), "the run it has is not handed out again");
      c.report(legacy, "running", null);
      c.node.post(
          "/agent/runs/" + legacy + "/status",
          new RunReport("succeeded", 0, null, null, null),
          LogAck.class);
      assertEquals("succeeded", c.job(job.id()).state());
      assertEquals(job.id() + "-0.1", a.runId());
    }
  }

  private static void loseAndReturn(ScriptedCluster c) {
    var jdbi = c.server.database().jdbi();
    jdbi.useHandle(h -> h.execute("UPDATE nodes SET state = 'lost' WHERE name = 'n1'"));
    c.server.jobs().nodeLost("n1");
    jdbi.useHandle(h -> h.execute("UPDATE nodes SET state = 'ready' WHERE name = 'n1'"));
    c.server.scheduler().pass();
  }

  private static void ship(ScriptedCluster c, String runId, long offset, String text) {
    c.node.postBytes(
        "/agent/runs/" + runId + "/logs?offset=" + offset,
        text.getBytes(StandardCharsets.UTF_8),
        "application/octet-stream",
        LogAck.class);
  }

  private static String log(ScriptedCluster c, long jobId) throws Exception {
    try (InputStream in = c.admin.stream("/jobs/" + jobId + "/runs/0/logs")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
