package dev.ocean.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.QuotaRequest;
import dev.ocean.common.api.Session;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The change stream that keeps open pages' lists current without a reload. */
class LiveEventsTest {
  @TempDir Path dir;
  OceanServer server;
  OceanClient admin;

  @BeforeEach
  void start() throws Exception {
    server =
        OceanServer.start(
            new ServerConfig(dir)
                .port(0)
                .host("127.0.0.1")
                .bcryptCost(4)
                .adminEmail("admin@example.com")
                .adminPassword("Admin123!x"),
            new PrintStream(PrintStream.nullOutputStream()));
    String token =
        OceanClient.forUser(server.url(), null)
            .post("/auth/login", new Credentials("admin@example.com", "Admin123!x"), Session.class)
            .token();
    admin = OceanClient.forUser(server.url(), token);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Reads the event stream in the background; each event's "event:data" line lands in a queue. */
  LinkedBlockingQueue<String> listen(String token) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/events?timeout=60"))
            .header("Authorization", "Bearer " + token)
            .build();
    HttpResponse<java.io.InputStream> res =
        HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, res.statusCode());
    assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
                String event = null;
                for (String line; (line = r.readLine()) != null; ) {
                  if (line.startsWith("event: ")) {
                    event = line.substring(7);
                  } else if (line.startsWith("data: ") && event != null) {
                    events.add(event + ":" + line.substring(6));
                    event = null;
                  }
                }
              } catch (Exception e) {
                // the test ended the stream
              }
            });
    assertEquals("hello:{}", events.poll(10, TimeUnit.SECONDS));
    return events;
  }

  String next(LinkedBlockingQueue<String> events) throws InterruptedException {
    String e = events.poll(10, TimeUnit.SECONDS);
    assertTrue(e != null, "an event arrived within 10 s");
    return e;
  }

  @Test
  void openPagesHearWhichListChanged() throws Exception {
    admin.post(
        "/machine-types",
        new MachineType.Create("g1", 1, 1, 0, null, null, null),
        MachineType.class);
    admin.post(
        "/images",
        new dev.ocean.common.api.Image.Create("img", "busybox:latest", null, null),
        Object.class);
    OceanClient.forUser(server.url(), null)
        .post("/auth/signup", new Credentials("ada@example.com", "Admin123!x"), Object.class);
    String ada =
        OceanClient.forUser(server.url(), null)
            .post("/auth/login", new Credentials("ada@example.com", "Admin123!x"), Session.class)
            .token();
    LinkedBlockingQueue<String> events = listen(ada);

    QuotaRequest r =
        OceanClient.forUser(server.url(), ada)
            .post("/quota-requests", new QuotaRequest.Create("g1", 1, 1, "x"), QuotaRequest.class);
    assertEquals("changed:{\"topic\":\"quotas\"}", next(events));
    admin.post("/admin/quota-requests/" + r.id() + "/approve", null, Object.class);
    assertEquals("changed:{\"topic\":\"quotas\"}", next(events));

    OceanClient.forUser(server.url(), ada)
        .post(
            "/jobs",
            new dev.ocean.common.api.job.Job.Submit(
                "j", "g1", "img", null, java.util.List.of("true"), null, 1, null, null, null),
            Object.class);
    // the submit also takes quota (topic quotas); the jobs topic must come among the events
    String e;
    do {
      e = next(events);
    } while (!e.equals("changed:{\"topic\":\"jobs\"}"));
    Thread.sleep(1500);
    events.clear();
    assertEquals(null, events.poll(2500, TimeUnit.MILLISECONDS), "quiet while nothing changes");
  }
}
