package dev.ocean.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.json.Json;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's log as Server-Sent Events: whole characters, resumable, ending with the run's state. */
class LogEventsTest {
  static final ObjectMapper JSON = Json.newMapper();

  @TempDir Path dir;

  record Event(String id, String name, String data) {}

  static List<Event> events(String body) {
    List<Event> out = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String id = null;
      String name = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("id: ")) id = line.substring(4);
        if (line.startsWith("event: ")) name = line.substring(7);
        if (line.startsWith("data: ")) data = line.substring(6);
      }
      if (name != null) {
        out.add(new Event(id, name, data));
      }
    }
    return out;
  }

  HttpResponse<String> stream(ScriptedCluster c, long job, String lastEventId) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(c.server.url() + "/api/v1/jobs/" + job + "/runs/0/log-events"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + c.adminToken);
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anEndedRunsWholeLogArrivesInWholeCharactersAndResumesWhereItStopped() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      Job job = c.submit("log", null, 1);
      Assignment a = c.next();
      c.report(a.runId(), "running", null);
      byte[] all = "line 1\n바다 line 2\n".getBytes(StandardCharsets.UTF_8);
      int cut = "line 1\n".length() + 1; // inside the three bytes of '바'
      append(c, a.runId(), 0, Arrays.copyOfRange(all, 0, cut));

      HttpResponse<String> live = streamBriefly(c, job.id());
      List<Event> first = events(live.body());
      assertEquals("line 1\n", JSON.readValue(first.getFirst().data(), String.class));
      assertEquals(String.valueOf("line 1\n".length()), first.getFirst().id());

      append(c, a.runId(), cut, Arrays.copyOfRange(all, cut, all.length));
      c.report(a.runId(), "succeeded", 0);
      HttpResponse<String> whole = stream(c, job.id(), null);
      assertEquals(200, whole.statusCode(), whole.body());
      assertTrue(
          whole.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
      StringBuilder text = new StringBuilder();
      List<Event> ev = events(whole.body());
      for (Event e : ev) {
        if (e.name().equals("log")) {
          text.append(JSON.readValue(e.data(), String.class));
        }
      }
      assertEquals("line 1\n바다 line 2\n", text.toString());
      assertEquals(new Event(String.valueOf(all.length), "end", "\"succeeded\""), ev.getLast());

      List<Event> resumed = events(stream(c, job.id(), first.getFirst().id()).body());
      assertEquals("바다 line 2\n", JSON.readValue(resumed.getFirst().data(), String.class));
    }
  }

  /** The stream of a run still going, cut after its first second (the {@code timeout}). */
  HttpResponse<String> streamBriefly(ScriptedCluster c, long job) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create(c.server.url() + "/api/v1/jobs/" + job + "/runs/0/log-events?timeout=1"))
            .header("Authorization", "Bearer " + c.adminToken)
            .build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
  }

  private static void append(ScriptedCluster c, String runId, long offset, byte[] bytes) {
    c.node.postBytes(
        "/agent/runs/" + runId + "/logs?offset=" + offset,
        bytes,
        "application/octet-stream",
        LogAck.class);
  }

  @Test
  void wholeCharactersNeverSplitAUtf8Sequence() {
    byte[] ko = "바".getBytes(StandardCharsets.UTF_8);
    assertEquals(0, LogEvents.wholeCharacters(Arrays.copyOf(ko, 1)));
    assertEquals(0, LogEvents.wholeCharacters(Arrays.copyOf(ko, 2)));
    assertEquals(3, LogEvents.wholeCharacters(ko));
    byte[] mixed = "a😀".getBytes(StandardCharsets.UTF_8);
    assertEquals(1, LogEvents.wholeCharacters(Arrays.copyOf(mixed, 4)));
    assertEquals(5, LogEvents.wholeCharacters(mixed));
  }
}
