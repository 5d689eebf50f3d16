package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.RunReports;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run's log that the server's store lost after the run ended (a restore from a backup without
 * logs, a file deleted behind the server's back) is answered 410 naming the bytes that were lost,
 * not as an empty log; a run that printed nothing still has an empty log, answered 200.
 */
class LostLogTest {
  private static final byte[] HELLO = "hello\nworld\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aLogLostAfterTheRunEndedIsAnsweredGoneWithItsSize(TestStorage storage) throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      Job job = c.submit("chatty", null, 1);
      end(c, c.next(), HELLO);
      assertEquals("hello\nworld\n", log(c.admin, job.id()));

      lose(c, storage, job.id());

      OceanApiException e = assertThrows(OceanApiException.class, () -> log(c.admin, job.id()));
      assertEquals(410, e.status());
      assertTrue(
          e.getMessage().contains("the log of run " + job.id() + "/0 (12 bytes) was lost"),
          e.getMessage());
      assertThrows(OceanApiException.class, () -> log(c.admin, job.id() + "/runs/0/logs?tail=5"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void theWebPagesLogEventsSayTheLogWasLost(TestStorage storage) throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      Job job = c.submit("chatty", null, 1);
      end(c, c.next(), HELLO);

      lose(c, storage, job.id());

      var request =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(
                      c.server.url() + "/api/v1/jobs/" + job.id() + "/runs/0/log-events"))
              .timeout(java.time.Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + c.adminToken)
              .build();
      String body =
          java.net.http.HttpClient.newHttpClient()
              .send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      assertTrue(body.contains("event: lost\ndata: 12\n"), body);
      assertFalse(body.contains("event: end"), body);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aRunThatPrintedNothingStillHasAnEmptyLog(TestStorage storage) throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      Job job = c.submit("quiet", null, 1);
      end(c, c.next(), null);

      lose(c, storage, job.id()); // nothing there to lose

      assertEquals("", log(c.admin, job.id()));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aLogShippedBeforeTheEndIsCountedToo(TestStorage storage) throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      Job job = c.submit("streamed", null, 1);
      Assignment a = c.next();
      c.report(a.runId(), "running", null);
      c.node.postBytes(
          AgentProtocol.logs(OceanClient.segment(a.runId())) + "?offset=0",
          HELLO,
          "application/octet-stream",
          Object.class);
      c.report(a.runId(), "succeeded", 0);
      assertEquals("hello\nworld\n", log(c.admin, job.id()));

      lose(c, storage, job.id());

      OceanApiException e = assertThrows(OceanApiException.class, () -> log(c.admin, job.id()));
      assertEquals(410, e.status());
      assertTrue(e.getMessage().contains("(12 bytes) was lost"), e.getMessage());
    }
  }

  /** The run starts and ends in one batch, its last bytes (if any) with the end. */
  private static void end(ScriptedCluster c, Assignment a, byte[] bytes) {
    var running = new RunReports.Item(a.runId(), report("running", null), null, null);
    var done =
        new RunReports.Item(a.runId(), report("succeeded", 0), bytes == null ? null : 0L, bytes);
    var answer =
        c.node.post(
            AgentProtocol.REPORTS, new RunReports(List.of(running, done)), RunReports.Answer.class);
    assertEquals(
        List.of(200, 200), answer.results().stream().map(RunReports.Result::status).toList());
  }

  private static RunReport report(String state, Integer exit) {
    return new RunReport(state, exit, null, null, null);
  }

  /** Removes the job's stored logs behind the server's back. */
  private void lose(ScriptedCluster c, TestStorage storage, long job) throws IOException {
    if (storage == TestStorage.POSTGRES) {
      c.server
          .database()
          .jdbi()
          .useHandle(h -> h.execute("DELETE FROM log_chunks WHERE job_id = ?", job));
      return;
    }
    Path f = dir.resolve("data").resolve("logs").resolve(Long.toString(job)).resolve("0.log");
    Files.deleteIfExists(f);
  }

  private static String log(OceanClient user, long job) throws IOException {
    return log(user, job + "/runs/0/logs");
  }

  private static String log(OceanClient user, String path) throws IOException {
    try (InputStream in = user.stream("/jobs/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
