package dev.ocean.bench;

import dev.ocean.common.Version;
import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 6: one run's log shipped as fast as the agent protocol takes it while a follower reads
 * it, and the latency of a printed line to 100 followers of one log.
 */
final class LogScenarios {
  private LogScenarios() {}

  /** A simulated node holding one running run, shipping its log by hand. */
  private record Shipper(ServerProcess s, String auth, long jobId, String runId) {
    long append(long offset, byte[] bytes) {
      s.http.postBytes(auth, AgentProtocol.logs(runId) + "?offset=" + offset, bytes, Void.class);
      return offset + bytes.length;
    }

    void finish() {
      s.http.post(
          auth,
          AgentProtocol.status(runId),
          new RunReport("succeeded", 0, null, null, null),
          Void.class);
    }

    InputStream follow() {
      return s.http.stream(s.adminAuth, "/jobs/" + jobId + "/runs/0/logs?follow=true").body();
    }
  }

  static void logs(Bench.Context c) throws Exception {
    int mib = c.knob("logs.mib", 100);
    int followers = c.knob("logs.followers", 100);
    try (ServerProcess s = c.server("logs")) {
      s.grant(10);
      var accepted =
          s.http.post(
              null,
              AgentProtocol.REGISTER,
              new Registration(
                  s.joinToken(),
                  "l0",
                  Version.VERSION,
                  Version.AGENT_PROTOCOL,
                  new NodeFacts(
                      "l0",
                      "Linux",
                      "amd64",
                      "sim",
                      64,
                      512L << 30,
                      List.of(),
                      List.of(
                          new dev.ocean.common.api.node.GpuInfo(0, "GPU-l0", "H100", 81559, null)),
                      null)),
              Registration.Accepted.class);
      String auth = "Bearer " + accepted.credential();
      // the node heartbeats like an agent, or the server counts it lost and fails its runs
      var beats =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
              Thread.ofVirtual().factory());
      beats.scheduleAtFixedRate(
          () -> {
            try {
              s.http.post(
                  auth,
                  AgentProtocol.HEARTBEAT,
                  new dev.ocean.common.api.node.Heartbeat(null, null, null),
                  dev.ocean.common.api.node.Heartbeat.Ack.class);
            } catch (RuntimeException e) {
              // the next one may get through
            }
          },
          0,
          5,
          TimeUnit.SECONDS);
      try {
        run(c, s, auth, mib, followers);
      } finally {
        beats.shutdownNow();
      }
    }
  }

  private static void run(Bench.Context c, ServerProcess s, String auth, int mib, int followers)
      throws Exception {
    {
      long total = (long) mib << 20;
      int warmup = c.knob("logs.warmupMib", 16);
      if (warmup > 0) {
        // a server runs for weeks: let its JIT compile the log path before the timed pass
        shipAndFollow(s, auth, (long) warmup << 20);
      }
      double[] f = shipAndFollow(s, auth, total);
      c.results()
          .row(
              "logs",
              mib + " MiB agent->server->follower (MB/s)",
              f[5] > 0 ? total / 1e6 / f[0] : 0,
              "MB/s",
              ">= 50",
              Map.of(
                  "bytes",
                  total,
                  "seconds",
                  f[0],
                  "shipSeconds",
                  f[1],
                  "followerRead",
                  (long) f[2],
                  "serverCpuSeconds",
                  f[3],
                  "benchCpuSeconds",
                  f[4],
                  "warmupMib",
                  warmup));

      Shipper line = start(s, auth);
      Queue<Double> latencies = new ConcurrentLinkedQueue<>();
      List<Thread> readers = new ArrayList<>();
      CountDownLatch ready = new CountDownLatch(followers);
      for (int i = 0; i < followers; i++) {
        readers.add(Thread.ofVirtual().start(() -> lines(line.follow(), latencies, ready)));
      }
      ready.await(30, TimeUnit.SECONDS);
      long off = 0;
      for (int i = 0; i < 300; i++) {
        off = line.append(off, ("t " + System.nanoTime() + "\n").getBytes(StandardCharsets.UTF_8));
        SimCluster.sleep(20);
      }
      SimCluster.sleep(1000);
      line.finish();
      for (Thread t : readers) {
        t.join(Duration.ofSeconds(30));
      }
      double[] l = Results.toArray(new ArrayList<>(latencies));
      c.results()
          .row(
              "logs",
              followers + " followers: line latency p99",
              Results.percentile(l, 99),
              "ms",
              "< 250",
              Map.of(
                  "followers",
                  followers,
                  "lines",
                  300,
                  "received",
                  l.length,
                  "p50Ms",
                  Results.percentile(l, 50)));
    }
  }

  /**
   * One run ships {@code total} bytes in 1 MiB chunks while a follower reads them: seconds until
   * the follower has all, seconds shipping, bytes read, server and bench CPU seconds, 1 if
   * complete.
   */
  private static double[] shipAndFollow(ServerProcess s, String auth, long total)
      throws InterruptedException {
    Shipper big = start(s, auth);
    AtomicLong read = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    Thread.ofVirtual().start(() -> drain(big.follow(), read, total, done));
    byte[] chunk = ("y".repeat(127) + "\n").repeat(8192).getBytes(StandardCharsets.UTF_8); // 1 MiB
    long self = ProcessHandle.current().pid();
    double serverCpu0 = Proc.cpuSeconds(s.pid());
    double benchCpu0 = Proc.cpuSeconds(self);
    long a = System.nanoTime();
    long off = 0;
    while (off < total) {
      off = big.append(off, chunk);
    }
    double shipped = (System.nanoTime() - a) / 1e9;
    boolean all = done.await(5, TimeUnit.MINUTES);
    double secs = (System.nanoTime() - a) / 1e9;
    double serverCpu = Proc.cpuSeconds(s.pid()) - serverCpu0;
    double benchCpu = Proc.cpuSeconds(self) - benchCpu0;
    big.finish();
    return new double[] {secs, shipped, read.get(), serverCpu, benchCpu, all ? 1 : 0};
  }

  private static Shipper start(ServerProcess s, String auth) {
    long jobId = s.http.post(s.adminAuth, "/jobs", ApiScenarios.submit("log", 1), Job.class).id();
    while (true) {
      Work w = s.http.get(auth, AgentProtocol.WORK + "?wait=5", Work.class, Duration.ofSeconds(30));
      for (Assignment a : w.start()) {
        if (a.jobId() == jobId) {
          String id = URLEncoder.encode(a.runId(), StandardCharsets.UTF_8);
          s.http.post(
              auth,
              AgentProtocol.status(id),
              new RunReport("running", null, null, null, null),
              Void.class);
          return new Shipper(s, auth, jobId, id);
        }
      }
    }
  }

  private static void drain(InputStream in, AtomicLong read, long total, CountDownLatch done) {
    byte[] buf = new byte[1 << 16];
    try (in) {
      for (int n; (n = in.read(buf)) > 0; ) {
        if (read.addAndGet(n) >= total) {
          done.countDown();
        }
      }
    } catch (Exception e) {
      // the stream ends with the run
    }
  }

  private static void lines(InputStream in, Queue<Double> latencies, CountDownLatch ready) {
    ready.countDown();
    StringBuilder line = new StringBuilder();
    try (in) {
      for (int b; (b = in.read()) >= 0; ) {
        if (b != '\n') {
          line.append((char) b);
          continue;
        }
        long now = System.nanoTime();
        if (line.toString().startsWith("t ")) {
          latencies.add((now - Long.parseLong(line.substring(2).trim())) / 1e6);
        }
        line.setLength(0);
      }
    } catch (Exception e) {
      // the stream ends with the run
    }
  }
}
