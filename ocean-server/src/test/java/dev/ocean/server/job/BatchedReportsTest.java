package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.RunReports;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /agent/reports}: many runs' reports in one request, each with its own result. */
class BatchedReportsTest {
  @TempDir Path dir;

  @Test
  void runningThenSucceededOfManyRunsLandInOrderAndARetriedBatchChangesNothing() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      Job job = submit(c, "batch", 2);
      List<Assignment> runs = all(c, 2);
      List<RunReports.Item> items = new ArrayList<>();
      for (Assignment a : runs) {
        items.add(item(a.runId(), "running", null));
        items.add(item(a.runId(), "succeeded", 0));
      }

      RunReports.Answer first = send(c, items);
      assertEquals(List.of(200, 200, 200, 200), statuses(first));
      Job done = c.job(job.id());
      assertEquals("succeeded", done.state());
      for (Run r : done.runs()) {
        assertEquals("succeeded", r.state());
        assertEquals(0, r.exitCode());
      }

      // The answer was lost: the agent sends the same batch again.
      RunReports.Answer again = send(c, items);
      assertEquals(
          List.of(409, 200, 409, 200),
          statuses(again),
          "running after the end is refused as ended (the agent drops it); the end itself is"
              + " already known");
      Job after = c.job(job.id());
      assertEquals(done.runs(), after.runs(), "the retry changed no run (times, exit codes)");
      assertEquals("succeeded", after.state());
    }
  }

  @Test
  void aBatchThatAlsoPollsIsAnsweredWithTheRunItsEndFreed() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      Job job = c.submit("one-at-a-time", null, 2); // parallel 1: run 1 waits for run 0
      Assignment first = c.next();
      RunReports.Answer answer =
          c.node.post(
              AgentProtocol.REPORTS + "?" + AgentProtocol.WAIT + "=10",
              new RunReports(
                  List.of(
                      item(first.runId(), "running", null), item(first.runId(), "succeeded", 0))),
              RunReports.Answer.class);

      assertEquals(List.of(200, 200), statuses(answer));
      assertEquals(
          List.of(job.id() + "-1.1"),
          answer.work().start().stream().map(Assignment::runId).toList(),
          "the next run came with the answer, without a poll of its own");
      assertNull(send(c, List.of()).work(), "without wait the answer carries no work");
    }
  }

  @Test
  void aBadReportGetsItsOwnErrorAndTheOthersStillLand() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      Job job = submit(c, "mixed", 2);
      List<Assignment> runs = all(c, 2);
      String a = runs.get(0).runId();
      String b = runs.get(1).runId();
      RunReports.Answer answer =
          send(
              c,
              List.of(
                  item(a, "running", null),
                  item("not-a-run", "running", null),
                  item(b, "succeeded", 0), // not running yet: the table refuses it
                  item(b, "pending", null),
                  item((job.id() + 100) + "-0.1", "running", null),
                  item(a, "failed", 3)));

      assertEquals(List.of(200, 400, 409, 400, 404, 200), statuses(answer));
      assertNull(answer.results().get(0).detail());
      assertEquals("not-a-run", answer.results().get(1).runId());
      Job j = c.job(job.id());
      assertEquals("failed", j.runs().get(0).state());
      assertEquals(3, j.runs().get(0).exitCode());
      assertEquals("assigned", j.runs().get(1).state(), "its refused reports left it alone");
    }
  }

  @Test
  void moreReportsThanOneRequestMayCarryAreRefusedNamingTheField() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      List<RunReports.Item> items = new ArrayList<>();
      for (int i = 0; i <= JobController.MAX_REPORTS; i++) {
        items.add(item("1-" + i + ".1", "running", null));
      }
      OceanApiException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              OceanApiException.class, () -> send(c, items));
      assertEquals(400, e.status());
      assertEquals("reports", e.problem().field());
    }
  }

  /** {@code repeat} runs, all at once. */
  private static Job submit(ScriptedCluster c, String name, int repeat) {
    return c.admin.post(
        "/jobs",
        new Job.Submit(
            name, "g1", "busybox", null, List.of("true"), Map.of(), repeat, repeat, null, null),
        Job.class);
  }

  private static List<Assignment> all(ScriptedCluster c, int n) {
    List<Assignment> got = c.poll().start();
    assertEquals(n, got.size(), "the node got every run");
    return got;
  }

  private static RunReports.Item item(String runId, String state, Integer exit) {
    return new RunReports.Item(runId, new RunReport(state, exit, null, null, null), null, null);
  }

  private static RunReports.Answer send(ScriptedCluster c, List<RunReports.Item> items) {
    return c.node.post(AgentProtocol.REPORTS, new RunReports(items), RunReports.Answer.class);
  }

  private static List<Integer> statuses(RunReports.Answer a) {
    return a.results().stream().map(RunReports.Result::status).toList();
  }
}
