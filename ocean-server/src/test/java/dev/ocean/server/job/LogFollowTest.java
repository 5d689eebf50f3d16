package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.Version;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code logs -f} over the real server: megabytes shipped in agent-sized chunks reach every
 * follower byte for byte, a follower that reads slowly is not dropped, chatty small chunks reach
 * many followers, and each follow ends once the run has ended.
 */
class LogFollowTest {
  @TempDir Path dir;
  OceanServer server;
  OceanClient admin;
  OceanClient node;

  /** Where the logs live: files under the data directory here, PostgreSQL in a subclass. */
  ServerConfig store(ServerConfig config) {
    return config;
  }

  @BeforeEach
  void start() throws Exception {
    server =
        OceanServer.start(
            store(
                new ServerConfig(dir)
                    .port(0)
                    .host("127.0.0.1")
                    .bcryptCost(4)
                    .adminEmail("admin@example.com")
                    .adminPassword("Admin123!x")),
            new PrintStream(PrintStream.nullOutputStream()));
    var session =
        OceanClient.forUser(server.url(), null)
            .post(
                "/auth/login",
                new dev.ocean.common.api.Credentials("admin@example.com", "Admin123!x"),
                dev.ocean.common.api.Session.class);
    admin = OceanClient.forUser(server.url(), session.token());
    admin.post(
        "/machine-types",
        new MachineType.Create("g1", 1, 1, 1, "H100", null, null),
        MachineType.class);
    admin.post("/images", new Image.Create("busybox", "busybox:latest", null, null), Image.class);
    admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "g1", 4, 1), Quota.class);
    JoinToken t =
        admin.post("/admin/join-tokens", new JoinToken.Create("1h", null), JoinToken.class);
    NodeFacts facts =
        new NodeFacts(
            "n1",
            "Linux",
            "amd64",
            "cpu",
            8,
            64L << 30,
            List.of(),
            List.of(new GpuInfo(0, "GPU-0", "NVIDIA H100 80GB HBM3", 81559, null)),
            null);
    var accepted =
        OceanClient.forUser(server.url(), null)
            .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
            .post(
                "/agent/register",
                new Registration(t.token(), "n1", Version.VERSION, Version.AGENT_PROTOCOL, facts),
                Registration.Accepted.class);
    node =
        OceanClient.withAuthorization(server.url(), "Bearer " + accepted.credential())
            .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Submits a job, takes its run like an agent and reports it running; returns the run id. */
  private String running(Job[] job) {
    job[0] =
        admin.post(
            "/jobs",
            new Job.Submit(
                "log", "g1", "busybox", null, List.of("true"), Map.of(), 1, 1, "test", null),
            Job.class);
    Work w = node.get("/agent/work?wait=5", Work.class);
    String runId = w.start().getFirst().runId();
    report(runId, "running");
    return runId;
  }

  private void report(String runId, String state) {
    node.post(
        "/agent/runs/" + runId + "/status",
        new RunReport(state, "succeeded".equals(state) ? 0 : null, null, null, null),
        LogAck.class);
  }

  private long ship(String runId, long offset, byte[] bytes) {
    return node.postBytes(
            "/agent/runs/" + runId + "/logs?offset=" + offset,
            bytes,
            "application/octet-stream",
            LogAck.class)
        .size();
  }

  /** Reads a follow stream to its end, pausing after each read when {@code slow}. */
  private CompletableFuture<byte[]> follow(long jobId, boolean slow) {
    // the response starts with the first bytes of the log, so the request waits off this thread
    return CompletableFuture.supplyAsync(
        () -> {
          ByteArrayOutputStream got = new ByteArrayOutputStream();
          byte[] buf = new byte[8192];
          try (InputStream in = admin.stream("/jobs/" + jobId + "/runs/0/logs?follow=true")) {
            for (int n; (n = in.read(buf)) > 0; ) {
              got.write(buf, 0, n);
              if (slow && got.size() < 2 << 20) {
                Thread.sleep(1); // a reader far slower than the agent for its first 2 MiB
              }
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return got.toByteArray();
        },
        Thread::startVirtualThread);
  }

  @Test
  void megabytesShippedInChunksReachFastAndSlowFollowersAndLaterReadersByteForByte()
      throws Exception {
    Job[] job = new Job[1];
    String runId = running(job);
    CompletableFuture<byte[]> fast = follow(job[0].id(), false);
    CompletableFuture<byte[]> slow = follow(job[0].id(), true);

    byte[] log = new byte[12 << 20];
    new Random(42).nextBytes(log); // any bytes: not lines, not UTF-8
    long offset = 0;
    for (int size = 1; offset < log.length; size = Math.min(size * 3, 1 << 20)) {
      int n = (int) Math.min(size, log.length - offset);
      byte[] chunk = java.util.Arrays.copyOfRange(log, (int) offset, (int) offset + n);
      offset = ship(runId, offset, chunk);
    }
    report(runId, "succeeded");

    assertArrayEquals(log, fast.get(60, TimeUnit.SECONDS), "a follower gets every byte");
    assertArrayEquals(log, slow.get(60, TimeUnit.SECONDS), "a slow follower is not dropped");
    try (InputStream in = admin.stream("/jobs/" + job[0].id() + "/runs/0/logs")) {
      assertArrayEquals(log, in.readAllBytes(), "the stored log is the same after the run");
    }
  }

  @Test
  void everyLineOfAChattyRunReachesManyFollowersAndEachFollowEndsWithTheRun() throws Exception {
    Job[] job = new Job[1];
    String runId = running(job);
    List<CompletableFuture<byte[]>> followers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      followers.add(follow(job[0].id(), false));
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    long offset = 0;
    for (int i = 0; i < 300; i++) {
      byte[] line = ("line " + i + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      offset = ship(runId, offset, line);
      all.write(line);
    }
    report(runId, "succeeded");
    for (CompletableFuture<byte[]> f : followers) {
      assertEquals(all.toString(), new String(f.get(60, TimeUnit.SECONDS)));
    }
  }

  @Test
  void aFollowerWhoComesAfterTheRunEndedGetsEveryLineOfALogOfManyChunks() throws Exception {
    Job[] job = new Job[1];
    String runId = running(job);
    StringBuilder all = new StringBuilder();
    long offset = 0;
    for (int i = 0; i < 200; i++) { // a line a second: each line its own chunk
      byte[] line = ("line " + i + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      offset = ship(runId, offset, line);
      all.append("line ").append(i).append('\n');
    }
    report(runId, "succeeded");
    assertEquals(all.toString(), new String(follow(job[0].id(), false).get(60, TimeUnit.SECONDS)));
    assertEquals(
        all.toString(), new String(follow(job[0].id(), false).get(60, TimeUnit.SECONDS)), "again");
  }
}
