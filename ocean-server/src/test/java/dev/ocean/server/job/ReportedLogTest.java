package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.RunReports;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A short run's last log bytes travel with its end report ({@link RunReports.Item#log}): they are
 * stored before the run ends, exactly once, and only where {@code POST runs/ID/logs} would take
 * them; in log files (SQLite) and in the database (PostgreSQL) alike.
 */
class ReportedLogTest {
  private static final byte[] HELLO = "hello\nworld\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void theEndsLogBytesAreStoredOnceEvenWhenTheAgentSendsTheBatchAgain(TestStorage storage)
      throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      Job job = c.submit("short", null, 1);
      Assignment a = c.next();
      List<RunReports.Item> batch =
          List.of(
              item(a.runId(), "running", null, null, null),
              item(a.runId(), "succeeded", 0, 0L, HELLO));

      RunReports.Answer first = send(c, batch);
      assertEquals(List.of(200, 200), statuses(first));
      assertNull(first.results().get(0).logSize(), "no log came with running");
      assertEquals(HELLO.length, first.results().get(1).logSize());
      assertEquals("succeeded", c.job(job.id()).state());
      assertEquals("hello\nworld\n", log(c.admin, job.id()));

      // The answer was lost: the agent sends the same batch again.
      RunReports.Answer again = send(c, batch);
      assertEquals(List.of(409, 200), statuses(again));
      assertEquals(HELLO.length, again.results().get(1).logSize());
      assertEquals("hello\nworld\n", log(c.admin, job.id()), "no byte stored twice");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void bytesAfterWhatTheServerHasAreSkippedAndAGapLeavesTheRunRunning(TestStorage storage)
      throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      Job job = c.submit("shipped-in-part", null, 1);
      Assignment a = c.next();
      c.report(a.runId(), "running", null);
      String id = OceanClient.segment(a.runId());
      c.node.postBytes(
          AgentProtocol.logs(id) + "?offset=0",
          "hello\n".getBytes(StandardCharsets.UTF_8),
          "application/octet-stream",
          Object.class);

      RunReports.Answer gap = send(c, List.of(item(a.runId(), "succeeded", 0, 9L, HELLO)));
      assertEquals(409, gap.results().getFirst().status(), "the server has 6 bytes, not 9");
      assertEquals("running", c.job(job.id()).runs().getFirst().state());

      RunReports.Answer rest = send(c, List.of(item(a.runId(), "succeeded", 0, 0L, HELLO)));
      assertEquals(200, rest.results().getFirst().status());
      assertEquals("hello\nworld\n", log(c.admin, job.id()), "the 6 bytes it had were skipped");
      assertEquals("succeeded", c.job(job.id()).state());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aFewKilobytesOfOutputGoWithTheEnd(TestStorage storage) throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      Job job = c.submit("chatty", null, 1);
      Assignment a = c.next();
      String text = "line of output\n".repeat(2000); // 30,000 bytes, more than a text field holds
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

      RunReports.Answer answer =
          send(
              c,
              List.of(
                  item(a.runId(), "running", null, null, null),
                  item(a.runId(), "succeeded", 0, 0L, bytes)));

      assertEquals(List.of(200, 200), statuses(answer));
      assertEquals(text, log(c.admin, job.id()));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void anEndTheTableRefusesStoresNoneOfItsBytes(TestStorage storage) throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      Job job = c.submit("never-started", null, 1);
      Assignment a = c.next();

      RunReports.Answer refused = send(c, List.of(item(a.runId(), "succeeded", 0, 0L, HELLO)));
      assertEquals(409, refused.results().getFirst().status(), "assigned cannot succeed");
      assertEquals("", log(c.admin, job.id()));

      RunReports.Answer tooBig =
          send(
              c,
              List.of(
                  item(a.runId(), "running", null, 0L, new byte[RunReports.MAX_LOG + 1]),
                  item(a.runId(), "running", null, null, HELLO)));
      assertEquals(List.of(400, 400), statuses(tooBig));
      assertEquals(
          List.of(true, true),
          List.of(
              tooBig.results().get(0).detail().contains(String.valueOf(RunReports.MAX_LOG)),
              tooBig.results().get(1).detail().contains("offset")));
      assertEquals("assigned", c.job(job.id()).runs().getFirst().state());
    }
  }

  private static RunReports.Item item(
      String runId, String state, Integer exit, Long offset, byte[] log) {
    return new RunReports.Item(runId, new RunReport(state, exit, null, null, null), offset, log);
  }

  private static RunReports.Answer send(ScriptedCluster c, List<RunReports.Item> items) {
    return c.node.post(AgentProtocol.REPORTS, new RunReports(items), RunReports.Answer.class);
  }

  private static List<Integer> statuses(RunReports.Answer a) {
    return a.results().stream().map(RunReports.Result::status).toList();
  }

  private static String log(OceanClient user, long job) throws IOException {
    try (InputStream in = user.stream("/jobs/" + job + "/runs/0/logs")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
