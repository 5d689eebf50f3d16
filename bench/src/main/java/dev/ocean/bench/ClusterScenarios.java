package dev.ocean.bench;

import dev.ocean.common.api.job.Job;
import dev.ocean.server.scheduler.ClusterSnapshot;
import dev.ocean.server.scheduler.Plan;
import dev.ocean.server.scheduler.QueuedRun;
import dev.ocean.server.scheduler.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Scenarios 3, 4 and 5: scheduling, end-to-end trivial jobs, heartbeats under API load. */
final class ClusterScenarios {
  private static final Duration LONG = Duration.ofSeconds(60);

  private ClusterScenarios() {}

  /**
   * Scenario 3: the pure scheduler function on a big cluster and queue (in this JVM), then
   * placements through a real server with simulated nodes, and the time to drain that queue.
   */
  static void scheduling(Bench.Context c) throws Exception {
    int nodes = c.knob("sched.plan.nodes", 10_000);
    int runs = c.knob("sched.plan.runs", 100_000);
    ClusterSnapshot cluster = PlanInput.cluster(nodes);
    List<QueuedRun> queue = PlanInput.queue(runs);
    Scheduler scheduler = new Scheduler();
    scheduler.plan(
        ClusterSnapshot.of(cluster.nodes().getFirst()), queue.subList(0, 100)); // warm-up
    long t0 = System.nanoTime();
    Plan plan = scheduler.plan(cluster, queue);
    double secs = (System.nanoTime() - t0) / 1e9;
    c.results()
        .row(
            "sched",
            "Scheduler.plan " + nodes + " nodes, " + runs + " runs (placements/s)",
            plan.placements().size() / secs,
            "/s",
            ">= 5000",
            Map.of(
                "nodes",
                nodes,
                "runs",
                runs,
                "placements",
                plan.placements().size(),
                "seconds",
                secs));

    int simNodes = c.knob("sched.nodes", 500);
    int queued = c.knob("sched.runs", 10_000);
    try (ServerProcess s = c.server("sched");
        SimCluster sim = new SimCluster(s, 0, 0);
        RunCounts counts = s.runCounts(c.knob("sched.waitSeconds", 600))) {
      s.grant(queued + 1000);
      long r0 = System.nanoTime();
      // Real agents beat every 5 s; at 10,000 nodes on 2 shared cores that alone saturates the
      // server, so the full-size run may beat less often (under the 30 s after which a node is
      // lost).
      sim.heartbeat(Duration.ofSeconds(c.knob("sched.heartbeatSeconds", 5)));
      sim.register(simNodes, "s");
      double registered = (System.nanoTime() - r0) / 1e9;
      int capacity = simNodes * SimCluster.GPUS;
      long a = System.nanoTime();
      submit(s, "q", queued);
      double submitted = (System.nanoTime() - a) / 1e9;
      int placed = counts.waitFor(ClusterScenarios::notPending, Math.min(capacity, queued));
      double fill = (System.nanoTime() - a) / 1e9;
      c.results()
          .row(
              "sched",
              simNodes + " sim nodes: placements/s, " + queued + " runs submitted",
              placed / fill,
              "/s",
              ">= 5000",
              Map.of(
                  "nodes",
                  simNodes,
                  "runs",
                  queued,
                  "placed",
                  placed,
                  "seconds",
                  fill,
                  "submitSeconds",
                  submitted,
                  "registerSeconds",
                  registered));
      sim.work();
      int succeeded = counts.waitFor(n -> n.getOrDefault("succeeded", 0), queued);
      double drain = (System.nanoTime() - a) / 1e9;
      c.results()
          .row(
              "sched",
              simNodes + " sim nodes: time to drain " + queued + " runs",
              drain,
              "s",
              "-",
              Map.of(
                  "nodes",
                  simNodes,
                  "runs",
                  queued,
                  "errors",
                  sim.errors.get(),
                  "busyAnswers",
                  SimReports.BUSY.get(),
                  "succeeded",
                  succeeded,
                  "runsPerSecond",
                  succeeded / drain));
      c.results()
          .row(
              "sched",
              "server RSS peak, " + simNodes + " sim nodes, " + queued + " runs",
              Proc.peakRssMib(s.pid()),
              "MiB",
              "< 1024",
              Map.of(
                  "nodes",
                  simNodes,
                  "runs",
                  queued,
                  "rssNowMib",
                  s.rssMib(),
                  "serverCpuSeconds",
                  s.cpuSeconds()));
    }
  }

  /**
   * Submits {@code runs} runs of {@code g1} in jobs of at most 1,000 runs. A request on a pooled
   * connection the busy server had closed (no response byte read) is sent again, up to 3 times.
   */
  private static void submit(ServerProcess s, String name, int runs) {
    for (int left = runs; left > 0; left -= 1000) {
      for (int attempt = 1; ; attempt++) {
        try {
          s.http.post(
              s.adminAuth, "/jobs", ApiScenarios.submit(name, Math.min(1000, left)), Job.class);
          break;
        } catch (java.io.UncheckedIOException e) {
          if (attempt >= 3) {
            throw e;
          }
        }
      }
    }
  }

  /** Runs that left the queue: assigned, running or ended. */
  private static int notPending(Map<String, Integer> byState) {
    return byState.entrySet().stream()
        .filter(e -> !e.getKey().equals("pending"))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  /** Scenario 4: trivial runs submit → succeeded through simulated agents. */
  static void endToEnd(Bench.Context c) throws Exception {
    int simNodes = c.knob("e2e.nodes", 50);
    int total = c.knob("e2e.runs", 20_000);
    try (ServerProcess s = c.server("e2e");
        SimCluster sim = new SimCluster(s, 0, 64)) {
      s.grant(total + 1000);
      sim.heartbeat(Duration.ofSeconds(5));
      sim.register(simNodes, "e");
      sim.work();
      // Warm-up: a fresh server's JIT compiles its hot paths for the first 20-30 s of this load
      // (with 200 runs of warm-up, the compiler threads were the server's busiest in the
      // measured seconds); a server that has run for a while is measured, not its start.
      int warm = c.knob("e2e.warmup", 20_000);
      try (RunCounts counts = s.runCounts(600)) {
        submit(s, "warm", warm);
        counts.waitFor(n -> n.getOrDefault("succeeded", 0), warm);
        long a = System.nanoTime();
        double cpu0 = s.cpuSeconds();
        double simCpu0 = Proc.cpuSeconds(ProcessHandle.current().pid());
        long busy0 = SimReports.BUSY.get();
        long requests0 = SimCluster.WORK_REQUESTS.get();
        long polls0 = SimCluster.POLLS.get();
        long batches0 = SimCluster.BATCHES.get();
        submit(s, "e2e", total);
        counts.waitFor(n -> n.getOrDefault("succeeded", 0), total + warm);
        double secs = (System.nanoTime() - a) / 1e9;
        double cpu = s.cpuSeconds() - cpu0;
        // the simulated agents share the machine's cores with the server
        double simCpu = Proc.cpuSeconds(ProcessHandle.current().pid()) - simCpu0;
        double requests = (SimCluster.WORK_REQUESTS.get() - requests0) / (double) total;
        System.out.printf(
            "           agent requests per run %.2f: polls %.2f, report batches %.2f; CPU per run:"
                + " server %.2f ms, simulated agents %.2f ms%n",
            requests,
            (SimCluster.POLLS.get() - polls0) / (double) total,
            (SimCluster.BATCHES.get() - batches0) / (double) total,
            cpu * 1000 / total,
            simCpu * 1000 / total);
        c.results()
            .row(
                "e2e",
                "trivial runs submit->succeeded, " + simNodes + " sim nodes",
                total / secs,
                "/s",
                ">= 1000",
                Map.of(
                    "nodes",
                    simNodes,
                    "runs",
                    total,
                    "seconds",
                    secs,
                    "errors",
                    sim.errors.get(),
                    "busyAnswers",
                    SimReports.BUSY.get() - busy0,
                    "serverCpuMsPerRun",
                    cpu * 1000 / total,
                    "simAgentsCpuMsPerRun",
                    simCpu * 1000 / total,
                    "agentRequestsPerRun",
                    requests));
      }
    }
  }

  /** Scenario 5: many nodes heartbeating every 5 s; the API's p99 while they do. */
  static void heartbeats(Bench.Context c) throws Exception {
    int simNodes = c.knob("heartbeat.nodes", 2000);
    int seconds = c.knob("heartbeat.seconds", 20);
    // The same API calls first, unmeasured, so that the server's JIT has compiled their path
    int warmup = c.knob("heartbeat.warmup", 15);
    try (ServerProcess s = c.server("heartbeat");
        SimCluster sim = new SimCluster(s, 0, 0)) {
      s.grant((seconds + warmup) * 20 + 1000);
      sim.heartbeat(Duration.ofSeconds(5));
      sim.register(simNodes, "h");
      SimCluster.sleep(5000);
      for (long until = System.nanoTime() + warmup * 1_000_000_000L; System.nanoTime() < until; ) {
        apiRound(s, new ArrayList<>());
        SimCluster.sleep(50);
      }
      sim.heartbeatMs.clear();
      long beats0 = sim.heartbeats.get();
      double serverCpu0 = s.cpuSeconds();
      double simCpu0 = Proc.cpuSeconds(ProcessHandle.current().pid());
      List<Double> ms = new ArrayList<>();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long a = System.nanoTime();
      int apiErrors = 0;
      while (System.nanoTime() < end) {
        apiErrors += apiRound(s, ms);
        SimCluster.sleep(50);
      }
      double secs = (System.nanoTime() - a) / 1e9;
      long beats = sim.heartbeats.get() - beats0;
      double rate = beats / secs;
      // per heartbeat, over the measured seconds: the server's CPU, and the simulated agents' and
      // API client's (they share the machine's cores with the server)
      double serverCpuMs = (s.cpuSeconds() - serverCpu0) * 1000 / Math.max(1, beats);
      double simCpuMs =
          (Proc.cpuSeconds(ProcessHandle.current().pid()) - simCpu0) * 1000 / Math.max(1, beats);
      double[] l = Results.toArray(ms);
      double[] hb = Results.toArray(new ArrayList<>(sim.heartbeatMs));
      c.results()
          .row(
              "heartbeat",
              simNodes + " nodes/5 s: API p99",
              Results.percentile(l, 99),
              "ms",
              "< 50",
              Map.of(
                  "nodes",
                  simNodes,
                  "heartbeatsPerSecond",
                  rate,
                  "apiP50Ms",
                  Results.percentile(l, 50),
                  "heartbeatP50Ms",
                  Results.percentile(hb, 50),
                  "heartbeatP99Ms",
                  Results.percentile(hb, 99),
                  "errors",
                  sim.errors.get(),
                  "shedHeartbeats",
                  SimCluster.SHED.get(),
                  "serverCpuMsPerHeartbeat",
                  serverCpuMs,
                  "simCpuMsPerHeartbeat",
                  simCpuMs,
                  "apiErrors",
                  apiErrors));
      System.out.printf(
          "           heartbeats %.0f/s (p99 %.1f ms, from first try to taken), API p50 %.1f ms,"
              + " %d API errors, %d agent errors, %d heartbeats shed (503, tried again); CPU per"
              + " heartbeat: server %.3f ms, simulated agents %.3f ms%n",
          rate,
          Results.percentile(hb, 99),
          Results.percentile(l, 50),
          apiErrors,
          sim.errors.get(),
          SimCluster.SHED.get(),
          serverCpuMs,
          simCpuMs);
    }
  }

  /**
   * One round of what a user does: submit a job, read it, list the jobs; each call's milliseconds
   * go into {@code ms}. Returns 1 if a call failed (its time counts too), else 0.
   */
  private static int apiRound(ServerProcess s, List<Double> ms) {
    long t = System.nanoTime();
    try {
      long id = s.http.post(s.adminAuth, "/jobs", ApiScenarios.submit("hb", 1), Job.class).id();
      ms.add((System.nanoTime() - t) / 1e6);
      t = System.nanoTime();
      s.http.get(s.adminAuth, "/jobs/" + id, Job.class, LONG);
      ms.add((System.nanoTime() - t) / 1e6);
      t = System.nanoTime();
      s.http.get(s.adminAuth, "/jobs", Job[].class, LONG);
      ms.add((System.nanoTime() - t) / 1e6);
      return 0;
    } catch (RuntimeException e) {
      ms.add((System.nanoTime() - t) / 1e6);
      return 1;
    }
  }
}
