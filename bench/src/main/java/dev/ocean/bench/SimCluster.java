package dev.ocean.bench;

import dev.ocean.common.Version;
import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.RunReports;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import dev.ocean.common.api.node.Registration;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * N simulated agents in this JVM speaking the real agent protocol over HTTP to a real server: each
 * registers with a join token and 8 fake GPUs, heartbeats, long-polls for work, reports a run
 * running, ships {@code logBytes} of log, and reports it succeeded after {@code runMillis}, with
 * the requests the real agent sends for that.
 */
final class SimCluster implements AutoCloseable {
  static final int GPUS = 8;

  private final ServerProcess server;
  private final long runMillis;
  private final byte[] log;
  private final List<Node> nodes = new ArrayList<>();
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(1, Thread.ofVirtual().factory());
  private volatile boolean closed;
  final AtomicLong succeeded = new AtomicLong();
  final AtomicLong heartbeats = new AtomicLong();
  final AtomicLong errors = new AtomicLong();

  /** Agent requests about work: polls, report batches, reports and log chunks sent alone. */
  static final AtomicLong WORK_REQUESTS = new AtomicLong();

  /** Of those, the polls; and the report batches. */
  static final AtomicLong POLLS = new AtomicLong();

  static final AtomicLong BATCHES = new AtomicLong();
  final java.util.Queue<Double> heartbeatMs = new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** One simulated node: its name, credential and the runs it holds. */
  private record Node(
      String name,
      String auth,
      Set<String> runs,
      SimReports reports,
      long registeredNanos,
      java.util.concurrent.atomic.AtomicBoolean beating) {}

  /** Whether the server takes batched reports; cleared by the first 404 (an older release). */
  private final boolean[] batches = {true};

  SimCluster(ServerProcess server, long runMillis, int logBytes) {
    this.server = server;
    this.runMillis = runMillis;
    this.log = "x".repeat(Math.max(0, logBytes - 1)).concat(logBytes > 0 ? "\n" : "").getBytes();
  }

  /** Registers {@code n} nodes (a few at a time) and returns once all are registered. */
  void register(int n, String prefix) throws InterruptedException {
    Semaphore parallel = new Semaphore(16);
    List<Thread> threads = new ArrayList<>();
    String token = null;
    for (int i = 0; i < n; i++) {
      if (i % 1000 == 0) {
        token = server.joinToken();
      }
      String name = prefix + i;
      String t = token;
      parallel.acquire();
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      // like the real agent's join: a busy server's 503 is waited out as told
                      var accepted =
                          SimReports.retry(
                              () ->
                                  server.http.post(
                                      null,
                                      AgentProtocol.REGISTER,
                                      new Registration(
                                          t,
                                          name,
                                          Version.VERSION,
                                          Version.AGENT_PROTOCOL,
                                          facts(name)),
                                      Registration.Accepted.class),
                              errors,
                              () -> closed);
                      String auth = "Bearer " + accepted.credential();
                      Node node =
                          new Node(
                              accepted.nodeName(),
                              auth,
                              ConcurrentHashMap.newKeySet(),
                              new SimReports(server.http, auth, errors, batches, () -> closed),
                              System.nanoTime(),
                              new java.util.concurrent.atomic.AtomicBoolean());
                      synchronized (nodes) {
                        nodes.add(node);
                        Duration every = beatEvery;
                        if (every != null) {
                          // as the real agent, which beats from the moment it joined
                          beat(node, every.toMillis(), every.toMillis());
                        }
                      }
                    } finally {
                      parallel.release();
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  int size() {
    return nodes.size();
  }

  /**
   * Heartbeats every node every {@code every}: those registered already spread evenly over the
   * period, each one's first beat at most {@code every} after it registered; those registered later
   * from the moment they registered, as real agents do (registering 10,000 nodes on a loaded
   * machine takes longer than the server's lost timeout: called after {@link #register}, the first
   * ones were lost before their first beat). Call it first.
   */
  void heartbeat(Duration every) {
    List<Node> all;
    synchronized (nodes) {
      beatEvery = every;
      all = List.copyOf(nodes);
    }
    long period = every.toMillis();
    long now = System.nanoTime();
    for (int i = 0; i < all.size(); i++) {
      Node n = all.get(i);
      long sinceRegistered = (now - n.registeredNanos()) / 1_000_000;
      long delay =
          Math.max(0, Math.min(period * i / Math.max(1, all.size()), period - sinceRegistered));
      beat(n, delay, period);
    }
  }

  /** Set by {@link #heartbeat}: nodes registered from then on heartbeat from the start. */
  private Duration beatEvery;

  private void beat(Node n, long delay, long period) {
    timers.scheduleAtFixedRate(
        () -> Thread.ofVirtual().start(() -> beat(n)), delay, period, TimeUnit.MILLISECONDS);
  }

  private void post(Node n, String path, Heartbeat hb) {
    server.http.post(n.auth(), path, hb, Heartbeat.Ack.class);
  }

  /** Starts every node's long-poll loop, which runs assignments as a simulated runtime. */
  void work() {
    for (Node n : List.copyOf(nodes)) {
      n.reports().start(n.name());
      Thread.ofVirtual().name("sim-" + n.name()).start(() -> pollLoop(n));
    }
  }

  /**
   * One heartbeat, as the real agent's loop sends it: never while the node's previous one is still
   * under way (a tick that finds one is skipped), and a busy server's 503 waited out as it says,
   * with jitter (up to as much again), before the beat is sent again.
   */
  private void beat(Node n) {
    if (closed || !n.beating().compareAndSet(false, true)) {
      return;
    }
    try {
      long t0 = System.nanoTime();
      while (true) {
        try {
          try {
            post(n, AgentProtocol.HEARTBEAT, new Heartbeat(metrics(), null, List.of()));
          } catch (java.io.UncheckedIOException e) {
            // A pooled connection the server had closed: the real agent's client (OkHttp) sends
            // the request again on a new one, and a missed beat at 20 s loses the node at 30 s.
            post(n, AgentProtocol.HEARTBEAT, new Heartbeat(metrics(), null, List.of()));
          }
          break;
        } catch (Http.Status e) {
          if (e.retryAfterSeconds <= 0 || (e.code != 503 && e.code != 429) || closed) {
            throw e;
          }
          SHED.incrementAndGet();
          sleep(jittered(e.retryAfterSeconds));
        }
      }
      heartbeatMs.add((System.nanoTime() - t0) / 1e6);
      heartbeats.incrementAndGet();
    } catch (RuntimeException e) {
      if (!closed) {
        SimCluster.error(errors, e);
      }
    } finally {
      n.beating().set(false);
    }
  }

  /** Heartbeats the server refused with 503 and Retry-After (load shed), each sent again later. */
  static final AtomicLong SHED = new AtomicLong();

  /** The real agent's wait after a Retry-After: what the server said, plus up to as much again. */
  static long jittered(long retryAfterSeconds) {
    long ms = retryAfterSeconds * 1000;
    return ms + ThreadLocalRandom.current().nextLong(ms + 1);
  }

  /**
   * The node's loop, as the real agent's {@code WorkLoop}: polls naming the runs it has, with the
   * reports queued meanwhile ({@code POST /agent/reports?wait}, else {@code GET /agent/work}),
   * starts what it is handed and polls again at once; reports that come during a long poll go
   * through the node's {@link SimReports}, told first which runs just came.
   */
  private void pollLoop(Node n) {
    long waitSeconds = runMillis > 0 ? Math.clamp(runMillis / 1000, 1, 20) : 20;
    while (!closed) {
      try {
        SimReports.Round round;
        try {
          round = n.reports().takeForPoll();
        } catch (InterruptedException e) {
          return;
        }
        Set<String> known = new java.util.TreeSet<>(n.runs());
        known.removeAll(round.ended());
        String query = "?" + AgentProtocol.WAIT + "=" + (round.endsAll() ? waitSeconds : 0);
        if (!known.isEmpty()) {
          query +=
              "&"
                  + AgentProtocol.KNOWN
                  + "="
                  + URLEncoder.encode(String.join(",", known), StandardCharsets.UTF_8);
        }
        String q = query;
        WORK_REQUESTS.incrementAndGet();
        POLLS.incrementAndGet();
        Work w;
        if (round.batch().isEmpty()) {
          try {
            w =
                SimReports.retry(
                    () ->
                        server.http.get(
                            n.auth(), AgentProtocol.WORK + q, Work.class, Duration.ofSeconds(40)),
                    errors,
                    () -> closed);
          } finally {
            n.reports().polled(round, null);
          }
        } else {
          RunReports.Answer answer;
          try {
            answer =
                SimReports.retry(
                    () ->
                        server.http.post(
                            n.auth(),
                            AgentProtocol.REPORTS + q,
                            SimReports.body(round.batch()),
                            RunReports.Answer.class),
                    errors,
                    () -> closed);
          } catch (Http.Status e) {
            n.reports().pollFailed(round, e.code == 404);
            continue;
          } catch (RuntimeException e) {
            n.reports().pollFailed(round, false);
            throw e;
          }
          n.reports().polled(round, answer);
          w = answer.work() == null ? new Work(null, null, null) : answer.work();
        }
        List<Assignment> fresh =
            w.start().stream().filter(a -> !n.runs().contains(a.runId())).toList();
        n.reports().expect(fresh.stream().map(Assignment::runId).toList());
        for (Assignment a : fresh) {
          if (n.runs().add(a.runId())) {
            Thread.ofVirtual().start(() -> run(n, a));
          }
        }
      } catch (RuntimeException e) {
        if (!closed) {
          SimCluster.error(errors, e);
          sleep(200);
        }
      }
    }
  }

  /**
   * Runs an assignment as the real agent's {@code RunFollower} does: reports it running without
   * waiting, and its end with the log bytes (the whole log of a short run goes with the end; a run
   * longer than the agent's 200 ms ship interval ships them alone first).
   */
  private void run(Node n, Assignment a) {
    try {
      n.reports().add(new SimReports.Pending(a.runId(), RUNNING, null, null, () -> {}));
      boolean inline = runMillis < SHIP_INTERVAL_MS && log.length > 0;
      if (runMillis > 0) {
        sleep(Math.min(runMillis, SHIP_INTERVAL_MS));
        if (!inline && log.length > 0) {
          WORK_REQUESTS.incrementAndGet();
          String id = URLEncoder.encode(a.runId(), StandardCharsets.UTF_8);
          SimReports.retry(
              () ->
                  server.http.postBytes(
                      n.auth(), AgentProtocol.logs(id) + "?offset=0", log, Void.class),
              errors,
              () -> closed);
        }
        sleep(Math.max(0, runMillis - SHIP_INTERVAL_MS));
      }
      n.reports()
          .add(
              new SimReports.Pending(
                  a.runId(),
                  new RunReport("succeeded", 0, null, null, null),
                  inline ? 0L : null,
                  inline ? log : null,
                  () -> {
                    succeeded.incrementAndGet();
                    n.runs().remove(a.runId());
                  }));
    } catch (RuntimeException e) {
      if (!closed) {
        SimCluster.error(errors, e);
      }
      n.runs().remove(a.runId());
    }
  }

  /** The real agent's {@code WorkTiming.shipInterval()}. */
  private static final long SHIP_INTERVAL_MS = 200;

  private static final RunReport RUNNING = new RunReport("running", null, null, null, null);

  private static NodeFacts facts(String name) {
    List<GpuInfo> gpus =
        IntStream.range(0, GPUS)
            .mapToObj(i -> new GpuInfo(i, "GPU-" + name + "-" + i, "H100", 81559, null))
            .toList();
    return new NodeFacts(name, "Linux", "amd64", "sim", 64, 512L << 30, List.of(), gpus, null);
  }

  private static NodeMetrics metrics() {
    double cpu = ThreadLocalRandom.current().nextDouble();
    return new NodeMetrics(
        System.currentTimeMillis(), cpu, 1.0, 1.0, 1.0, 1L << 30, 512L << 30, 0L, 0L, List.of());
  }

  private static final AtomicLong SHOWN = new AtomicLong();

  /** Counts an error; the first few are printed, so that a run full of errors says which. */
  static void error(AtomicLong errors, Throwable e) {
    errors.incrementAndGet();
    if (SHOWN.incrementAndGet() <= 5) {
      System.err.println("simulated agent error: " + (e == null ? "a refused report" : e));
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    timers.shutdownNow();
  }
}
