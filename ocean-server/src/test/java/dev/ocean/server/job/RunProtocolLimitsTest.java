package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edges of the run protocol: closed logs, run indexes out of range, capped long polls. */
class RunProtocolLimitsTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aNodeCannotAppendToTheLogOfARunItReportedEnded() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      Job job = c.submit("done", null, 1);
      var run = c.next();
      c.report(run.runId(), "running", null);
      String path = "/agent/runs/" + run.runId() + "/logs?offset=";
      c.node.postBytes(path + 0, bytes("all\n"), "application/octet-stream", LogAck.class);
      c.report(run.runId(), "succeeded", 0);

      var e =
          assertThrows(
              OceanApiException.class,
              () ->
                  c.node.postBytes(
                      path + 4, bytes("late\n"), "application/octet-stream", LogAck.class));

      assertEquals(409, e.status());
      try (InputStream in = c.admin.stream("/jobs/" + job.id() + "/runs/0/logs")) {
        assertEquals("all\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void aRunIndexBeyondTheIntegerRangeIsRefusedNotReadAsRunZero() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      Job job = c.submit("one", null, 1);
      var run = c.next();
      var user =
          assertThrows(
              OceanApiException.class,
              () -> c.admin.stream("/jobs/" + job.id() + "/runs/4294967296/logs"));
      assertEquals(400, user.status());
      assertEquals("run", user.problem().field());
      var agent =
          assertThrows(
              OceanApiException.class,
              () ->
                  c.node.postBytes(
                      "/agent/runs/" + job.id() + "-4294967296/logs?offset=0",
                      bytes("x"),
                      "application/octet-stream",
                      LogAck.class));
      assertEquals(400, agent.status());
      String path = "/agent/runs/" + run.runId() + "/logs?offset=0";
      c.node.postBytes(path, bytes("a\nb\n"), "application/octet-stream", LogAck.class);
      try (InputStream in = c.admin.stream("/jobs/" + job.id() + "/runs/0/logs?tail=4294967297")) {
        assertEquals(
            "a\nb\n",
            new String(in.readAllBytes(), StandardCharsets.UTF_8),
            "a huge tail is the whole log, not one line");
      }
    }
  }

  @Test
  void aWaitAskingForMoreThanThirtySecondsIsCappedAndSaysSo() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      Job job = c.submit("quick", null, 1);
      var run = c.next();
      c.report(run.runId(), "running", null);
      c.report(run.runId(), "succeeded", 0);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              c.server.url() + "/api/v1/jobs/" + job.id() + "/wait?timeout=100"))
                      .header("Authorization", "Bearer " + c.adminToken)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("30", r.headers().firstValue("Ocean-Wait-Seconds").orElse(null));
    }
  }
}
