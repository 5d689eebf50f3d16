package dev.ocean.server.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.client.OceanClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code logs -f} readers that never read cannot hold the server up: with 1,000 idle followers and
 * one whose socket is full, a new job is still assigned and another user's follower still gets each
 * new line promptly.
 */
class StalledFollowersTest {
  private static final int IDLE = 1000;

  @TempDir Path dir;

  @Test
  void idleAndStalledFollowersDelayNeitherTheSchedulerNorOtherUsers() throws Exception {
    List<Socket> followers = new ArrayList<>();
    try (ScriptedCluster cluster = ScriptedCluster.start(dir.resolve("data"), c -> c)) {
      Job noisy = cluster.submit("noisy");
      String noisyRun = cluster.poll(List.of()).start().getFirst().runId();
      cluster.report(noisyRun, "running", null);
      byte[] chunk = new byte[512 * 1024];
      Arrays.fill(chunk, (byte) 'x');
      for (int i = 99; i < chunk.length; i += 100) {
        chunk[i] = '\n';
      }
      long size = 0;
      for (int i = 0; i < 16; i++) {
        size = cluster.ship(noisyRun, size, chunk);
      }
      String token = token(cluster.server.url(), ScriptedCluster.ADMIN);
      String path = "/api/v1/jobs/" + noisy.id() + "/runs/0/logs?follow=true";
      Socket stalled = follow(cluster.server.url(), path, token, 4096);
      followers.add(stalled);
      for (int i = 0; i < IDLE; i++) {
        followers.add(follow(cluster.server.url(), path + "&tail=1", token, 0));
      }

      long started = System.nanoTime();
      Job next = cluster.submit("next");
      Work w = cluster.poll(List.of(noisyRun));
      assertEquals(
          next.id() + "-0.1",
          w.start().isEmpty() ? null : w.start().getFirst().runId(),
          "the scheduler assigns the new job at once: " + w);
      assertTrue(seconds(started) < 10, "submit and assignment took " + seconds(started) + " s");

      OceanClient bob = bob(cluster);
      Job bobs =
          bob.post(
              "/jobs",
              new Job.Submit(
                  "bobs", "cpu1", "host", null, List.of("true"), Map.of(), 1, 1, "t", null),
              Job.class);
      String bobRun = bobs.id() + "-0.1";
      Work w2 = cluster.poll(List.of(noisyRun, next.id() + "-0.1"));
      assertEquals(bobRun, w2.start().getFirst().runId());
      cluster.report(bobRun, "running", null);
      CompletableFuture<String> line = new CompletableFuture<>();
      Thread.ofVirtual()
          .start(
              () -> {
                try (var in = bob.stream("/jobs/" + bobs.id() + "/runs/0/logs?follow=true");
                    var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  line.complete(r.readLine());
                } catch (Exception e) {
                  line.completeExceptionally(e);
                }
              });
      long shipped = System.nanoTime();
      cluster.ship(bobRun, 0, "hello bob\n".getBytes(StandardCharsets.UTF_8));
      assertEquals("hello bob", line.get(10, TimeUnit.SECONDS));
      assertTrue(seconds(shipped) < 5, "bob's line took " + seconds(shipped) + " s");
    } finally {
      for (Socket s : followers) {
        s.close();
      }
    }
  }

  /** Opens a follow stream by hand and never reads it. */
  private static Socket follow(String url, String path, String token, int receiveBuffer)
      throws Exception {
    URI u = URI.create(url);
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(new java.net.InetSocketAddress(u.getHost(), u.getPort()), 5000);
    OutputStream out = s.getOutputStream();
    out.write(
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: "
                + u.getHost()
                + "\r\nAuthorization: Bearer "
                + token
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  private static OceanClient bob(ScriptedCluster cluster) {
    String url = cluster.server.url();
    OceanClient.forUser(url, null)
        .post("/auth/signup", new Credentials("bob@example.com", "Bob12345!x"), Object.class);
    cluster.admin.post(
        "/admin/quotas", new Quota.Grant("bob@example.com", "cpu1", 1, 1), Quota.class);
    return OceanClient.forUser(
            url,
            OceanClient.forUser(url, null)
                .post(
                    "/auth/login", new Credentials("bob@example.com", "Bob12345!x"), Session.class)
                .token())
        .withReadTimeout(Duration.ofSeconds(30));
  }

  private static String token(String url, String email) {
    return OceanClient.forUser(url, null)
        .post("/auth/login", new Credentials(email, ScriptedCluster.PASSWORD), Session.class)
        .token();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
