package dev.ocean.agent.work;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.RunReports;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server side of the job protocol, just enough of it for agent tests: hands out assigned runs
 * and stop requests, records reports and logs in arrival order, and can play unavailable (503) or
 * lose the tail of a log to provoke a gap.
 */
final class FakeOceanServer implements AutoCloseable {
  static final String CREDENTIAL = "node-secret";

  private final ObjectMapper json = Json.newMapper();
  private final HttpServer http;
  private final Map<String, Assignment> assigned = new LinkedHashMap<>();
  private final Map<String, String> states = new HashMap<>();
  private final Set<String> cancelled = new java.util.HashSet<>();
  private final Map<String, ByteArrayOutputStream> logs = new HashMap<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<List<String>> heartbeats = new CopyOnWriteArrayList<>();
  private final Map<String, List<dev.ocean.common.api.instance.InstanceEndpoints>> endpoints =
      new HashMap<>();
  private final AtomicInteger refused = new AtomicInteger();
  private volatile boolean unavailable;
  private volatile boolean removed;
  private volatile boolean refuseReports;
  private final AtomicInteger logPosts = new AtomicInteger();
  private final AtomicInteger batchPosts = new AtomicInteger();
  private final AtomicInteger batchesToRefuse = new AtomicInteger();
  private volatile boolean batches;
  private volatile String protocolHeader;

  FakeOceanServer() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.createContext("/api/v1/agent/", this::handle);
    http.start();
  }

  String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  synchronized void assign(Assignment a) {
    assigned.put(a.runId(), a);
    states.put(a.runId(), "assigned");
    notifyAll();
  }

  synchronized void cancel(String runId) {
    cancelled.add(runId);
    notifyAll();
  }

  /** From now on the node's credential is refused (401), as after {@code admin node remove}. */
  void remove() {
    removed = true;
  }

  /** While true, every agent request gets a 503, as when the server is restarting. */
  void unavailable(boolean down) {
    unavailable = down;
  }

  /** While true, run reports (only) get a 503. */
  void refuseReports(boolean refuse) {
    refuseReports = refuse;
  }

  /**
   * Takes {@code POST /agent/reports} (batches of reports with log bytes) as a current server does;
   * without it the route is unknown (404), as on an older server.
   */
  void takeBatches() {
    batches = true;
  }

  /** The next {@code n} batches get a 503 before any of their reports is applied. */
  void refuseBatches(int n) {
    batchesToRefuse.set(n);
  }

  private final AtomicInteger pollsWithReports = new AtomicInteger();
  private final AtomicInteger longPollsWithOpenRuns = new AtomicInteger();

  /** Polls that carried reports ({@code POST /agent/reports?wait}). */
  int pollsWithReports() {
    return pollsWithReports.get();
  }

  /**
   * Long polls that carried a report of a run without its end: a later report of that run could
   * then reach the server before it.
   */
  int longPollsWithOpenRuns() {
    return longPollsWithOpenRuns.get();
  }

  private static boolean endsAll(RunReports reports) {
    Set<String> ended = new java.util.HashSet<>();
    reports.reports().stream()
        .filter(i -> !i.report().state().equals("running"))
        .forEach(i -> ended.add(i.runId()));
    return reports.reports().stream().allMatch(i -> ended.contains(i.runId()));
  }

  /** How many batches of reports were applied. */
  int batchPosts() {
    return batchPosts.get();
  }

  /** How many requests got a 503 so far. */
  int refused() {
    return refused.get();
  }

  /** Forgets all but the first {@code keep} bytes of a run's log, so the next chunk meets a gap. */
  synchronized void loseLogTail(String runId, int keep) {
    byte[] all = log(runId);
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    kept.write(all, 0, Math.min(keep, all.length));
    logs.put(runId, kept);
  }

  /** Reports and log deliveries in the order they arrived, e.g. {@code 1-0 running}. */
  /** The {@code activeRuns} of each heartbeat so far, oldest first. */
  List<List<String>> heartbeats() {
    return List.copyOf(heartbeats);
  }

  List<String> events() {
    return List.copyOf(events);
  }

  /** Reports of one run, as {@code state exit reason}, in order. */
  List<String> reports(String runId) {
    return events.stream()
        .filter(e -> e.startsWith(runId + " ") && !e.startsWith(runId + " log"))
        .map(e -> e.substring(runId.length() + 1))
        .toList();
  }

  /** The endpoints the run's reports carried, in order (an instance's, with its host key). */
  synchronized List<dev.ocean.common.api.instance.InstanceEndpoints> endpoints(String runId) {
    return List.copyOf(endpoints.getOrDefault(runId, List.of()));
  }

  synchronized String state(String runId) {
    return states.get(runId);
  }

  synchronized byte[] log(String runId) {
    ByteArrayOutputStream log = logs.get(runId);
    return log == null ? new byte[0] : log.toByteArray();
  }

  String logText(String runId) {
    return new String(log(runId), StandardCharsets.UTF_8);
  }

  int logPosts() {
    return logPosts.get();
  }

  String protocolHeader() {
    return protocolHeader;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (removed
          || !("Bearer " + CREDENTIAL).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        send(ex, 401, Map.of("title", "Unauthorized", "status", 401));
        return;
      }
      protocolHeader = ex.getRequestHeaders().getFirst("Ocean-Agent-Protocol");
      if (unavailable || (refuseReports && ex.getRequestURI().getPath().endsWith("/status"))) {
        refused.incrementAndGet();
        ex.sendResponseHeaders(503, -1);
        return;
      }
      String[] path = ex.getRequestURI().getPath().substring("/api/v1/agent/".length()).split("/");
      Map<String, String> query = query(ex.getRequestURI().getRawQuery());
      String method = ex.getRequestMethod();
      if (path[0].equals("work") && method.equals("GET")) {
        send(ex, 200, work(Integer.parseInt(query.get("wait")), known(query.get("known"))));
      } else if (path[0].equals("heartbeat") && method.equals("POST")) {
        heartbeats.add(
            json.readValue(ex.getRequestBody(), dev.ocean.common.api.node.Heartbeat.class)
                .activeRuns());
        send(ex, 200, Map.of("state", "ready"));
      } else if (path[0].equals("reports") && method.equals("POST") && batches) {
        if (batchesToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          refused.incrementAndGet();
          ex.sendResponseHeaders(503, -1);
          return;
        }
        RunReports reports = json.readValue(ex.getRequestBody(), RunReports.class);
        if (query.containsKey("wait")) {
          pollsWithReports.incrementAndGet();
          if (!query.get("wait").equals("0") && !endsAll(reports)) {
            longPollsWithOpenRuns.incrementAndGet();
          }
        }
        RunReports.Answer answer = batch(reports);
        if (query.containsKey("wait")) { // it polls too
          Work w = work(Integer.parseInt(query.get("wait")), known(query.get("known")));
          answer = new RunReports.Answer(answer.results(), w);
        }
        send(ex, 200, answer);
      } else if (path[0].equals("runs") && path.length == 3 && path[2].equals("status")) {
        status(ex, path[1], json.readValue(ex.getRequestBody(), RunReport.class));
      } else if (path[0].equals("runs") && path.length == 3 && path[2].equals("logs")) {
        if (method.equals("GET")) {
          send(ex, 200, new LogAck(log(path[1]).length));
        } else {
          appendLog(
              ex, path[1], Long.parseLong(query.get("offset")), ex.getRequestBody().readAllBytes());
        }
      } else {
        send(ex, 404, Map.of("title", "Not Found", "status", 404));
      }
    }
  }

  private synchronized Work work(int waitSeconds, Set<String> known) {
    long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
    while (true) {
      List<Assignment> start = new ArrayList<>();
      assigned.forEach(
          (id, a) -> {
            if (states.get(id).equals("assigned")
                && !cancelled.contains(id)
                && !known.contains(id)) {
              start.add(a);
            }
          });
      List<String> stop = cancelled.stream().filter(id -> !ended(states.get(id))).sorted().toList();
      long left = deadline - System.nanoTime();
      if (!start.isEmpty() || !stop.isEmpty() || left <= 0) {
        return new Work(start, stop, null);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        return new Work(List.of(), List.of(), null);
      }
    }
  }

  private synchronized RunReports.Answer batch(RunReports reports) {
    batchPosts.incrementAndGet();
    List<RunReports.Result> results = new ArrayList<>();
    for (RunReports.Item i : reports.reports()) {
      String state = states.get(i.runId());
      int status = state == null ? 404 : ended(state) ? 409 : 200;
      Long size = null;
      if (status == 200 && i.log() != null) {
        ByteArrayOutputStream log =
            logs.computeIfAbsent(i.runId(), id -> new ByteArrayOutputStream());
        if (i.logOffset() > log.size()) {
          status = 409;
        } else {
          stored(i.runId(), log, i.logOffset(), i.log());
          size = (long) log.size();
        }
      }
      if (status == 200) {
        applied(i.runId(), i.report());
      }
      results.add(new RunReports.Result(i.runId(), status, null, size));
    }
    return new RunReports.Answer(results, null);
  }

  private synchronized void status(HttpExchange ex, String runId, RunReport report)
      throws IOException {
    String state = states.get(runId);
    if (state == null) {
      send(ex, 404, Map.of("title", "Not Found", "status", 404));
      return;
    }
    if (ended(state)) {
      send(ex, 409, Map.of("title", "Conflict", "status", 409, "detail", "run ended"));
      return;
    }
    applied(runId, report);
    send(ex, 200, Map.of("state", report.state()));
  }

  private void applied(String runId, RunReport report) {
    events.add(
        runId
            + " "
            + report.state()
            + " "
            + report.exitCode()
            + " "
            + report.reason()
            + " log="
            + log(runId).length);
    states.put(runId, report.state());
    if (report.endpoints() != null) {
      endpoints.computeIfAbsent(runId, k -> new ArrayList<>()).add(report.endpoints());
    }
    notifyAll();
  }

  private synchronized void appendLog(HttpExchange ex, String runId, long offset, byte[] bytes)
      throws IOException {
    logPosts.incrementAndGet();
    ByteArrayOutputStream log = logs.computeIfAbsent(runId, id -> new ByteArrayOutputStream());
    if (offset > log.size()) {
      send(ex, 409, Map.of("title", "Conflict", "status", 409, "detail", "gap"));
      return;
    }
    stored(runId, log, offset, bytes);
    send(ex, 200, new LogAck(log.size()));
  }

  private void stored(String runId, ByteArrayOutputStream log, long offset, byte[] bytes) {
    int skip = (int) (log.size() - offset);
    if (skip < bytes.length) {
      log.write(bytes, skip, bytes.length - skip);
      events.add(runId + " log " + (bytes.length - skip));
    }
  }

  private static boolean ended(String state) {
    return Set.of("succeeded", "failed", "cancelled").contains(state);
  }

  private static Set<String> known(String known) {
    return known == null || known.isEmpty()
        ? Set.of()
        : Set.copyOf(Arrays.asList(known.split(",")));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        q.put(
            pair.substring(0, eq),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private void send(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    ex.getResponseHeaders()
        .set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
