package dev.ocean.server.cluster;

import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.durability.ScriptedCluster;
import dev.ocean.server.store.TestStorage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scenario 6 of the performance issue for each log store (files on SQLite, rows on PostgreSQL): one
 * run's log shipped as fast as the agent protocol takes it (1 MiB chunks, as the agent sends them)
 * through a real server to a {@code logs -f} follower, in MB/s end to end; and the delay from a
 * line's shipping to its arrival at each of {@link #FOLLOWERS} followers, p50 and p99. Prints
 * {@code BENCH} lines; run with {@code -Pbench}.
 */
@Tag("bench")
class SharedLogBenchmark {
  private static final int CHUNK = 1024 * 1024;
  private static final long TOTAL = Long.getLong("bench.logMb", 100) * 1024 * 1024;
  private static final int FOLLOWERS = Integer.getInteger("bench.followers", 100);
  private static final int LINES = 200;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void logThroughputAndFollowerLatency(TestStorage storage) throws Exception {
    String url = storage.newUrl(dir, "log_bench");
    try (ScriptedCluster c =
        ScriptedCluster.start(
            dir.resolve("data"), s -> s.dbUrl(url).nodeLostAfter(java.time.Duration.ofHours(1)))) {
      throughput(c, storage, c.server.url(), "");
      latency(c, storage, c.server.url(), "");
      if (storage == TestStorage.POSTGRES) {
        // the agent ships to one server, the followers read from another
        try (OceanServer other =
            ScriptedCluster.startServer(
                dir.resolve("other"),
                s -> s.dbUrl(url).nodeLostAfter(java.time.Duration.ofHours(1)))) {
          throughput(c, storage, other.url(), " (followed on another server)");
          latency(c, storage, other.url(), " (followed on another server)");
        }
      }
    }
  }

  private static String start(ScriptedCluster c, String name) {
    c.submit(name);
    String runId = c.poll(List.of()).start().getFirst().runId();
    c.report(runId, "running", null);
    return runId;
  }

  private static long jobOf(String runId) {
    return Long.parseLong(runId.substring(0, runId.indexOf('-')));
  }

  private void throughput(ScriptedCluster c, TestStorage storage, String followUrl, String where)
      throws Exception {
    String runId = start(c, "throughput");
    OceanClient user = ScriptedCluster.login(followUrl);
    CompletableFuture<Long> follower =
        CompletableFuture.supplyAsync(
            () -> {
              byte[] buf = new byte[64 * 1024];
              long got = 0;
              try (InputStream in =
                  user.stream("/jobs/" + jobOf(runId) + "/runs/0/logs?follow=true")) {
                while (got < TOTAL) {
                  int n = in.read(buf);
                  if (n < 0) {
                    break;
                  }
                  got += n;
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              return System.nanoTime();
            });
    byte[] chunk = new byte[CHUNK];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) (i % 80 == 79 ? '\n' : 'a' + i % 26);
    }
    long t0 = System.nanoTime();
    for (long offset = 0; offset < TOTAL; offset += CHUNK) {
      c.ship(runId, offset, chunk);
    }
    long shipped = System.nanoTime();
    long received = follower.get(10, TimeUnit.MINUTES);
    double mb = TOTAL / 1e6;
    System.out.printf(
        "BENCH logs %s: %.0f MB shipped in %.2f s (%.1f MB/s), followed end to end in %.2f s"
            + " (%.1f MB/s)%s%n",
        storage,
        mb,
        (shipped - t0) / 1e9,
        mb / ((shipped - t0) / 1e9),
        (received - t0) / 1e9,
        mb / ((received - t0) / 1e9),
        where);
  }

  private void latency(ScriptedCluster c, TestStorage storage, String followUrl, String where)
      throws Exception {
    String runId = start(c, "latency");
    OceanClient user = ScriptedCluster.login(followUrl);
    List<Long> delays = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> followers = new ArrayList<>();
    for (int f = 0; f < FOLLOWERS; f++) {
      followers.add(
          CompletableFuture.runAsync(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(
                            user.stream("/jobs/" + jobOf(runId) + "/runs/0/logs?follow=true"),
                            StandardCharsets.UTF_8))) {
                  for (int i = 0; i < LINES; i++) {
                    String line = r.readLine();
                    delays.add(System.nanoTime() - Long.parseLong(line));
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
    }
    Thread.sleep(1000); // the followers are connected and waiting
    long offset = 0;
    for (int i = 0; i < LINES; i++) {
      byte[] line = (System.nanoTime() + "\n").getBytes(StandardCharsets.UTF_8);
      offset = c.ship(runId, offset, line);
      Thread.sleep(10);
    }
    CompletableFuture.allOf(followers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    List<Long> sorted = new ArrayList<>(delays);
    Collections.sort(sorted);
    System.out.printf(
        "BENCH logs %s: line latency agent -> %d followers p50 %.1f ms, p99 %.1f ms (%d lines)%s%n",
        storage,
        FOLLOWERS,
        sorted.get(sorted.size() / 2) / 1e6,
        sorted.get((int) (sorted.size() * 0.99)) / 1e6,
        sorted.size(),
        where);
  }
}
