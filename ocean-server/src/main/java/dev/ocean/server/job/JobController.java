package dev.ocean.server.job;

import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.agent.RunId;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.JobBatch;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.RunReports;
import dev.ocean.common.api.job.Work;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.error.TooLarge;
import dev.ocean.server.http.Auth;
import dev.ocean.server.http.Bodies;
import dev.ocean.server.http.ErrorMapper;
import dev.ocean.server.logs.LogStore;
import dev.ocean.server.node.NodeRef;
import dev.ocean.server.user.Principal;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** HTTP side of jobs: users' submit/list/get/cancel/wait/logs and the agents' work protocol. */
public final class JobController {
  private static final long MAX_POLL_MILLIS = 60_000;

  /** The most reports one {@code POST /agent/reports} carries. */
  static final int MAX_REPORTS = 1000;

  /** The longest a {@code /jobs/{id}/wait} holds its connection; clients ask again. */
  static final int MAX_WAIT_SECONDS = 30;

  /** The largest body {@code POST /jobs/batch} reads: 10,000 jobs of 1.6 KiB each. */
  static final int MAX_BATCH_BYTES = JobBatch.MAX_BYTES;

  private final JobService jobs;
  private final AgentWork work;
  private final LogStore logs;
  private final Signals signals;
  private final RunLogs runLogs;
  private final Bodies bodies;

  public JobController(
      JobService jobs,
      AgentWork work,
      LogStore logs,
      Signals signals,
      RunLogs runLogs,
      Bodies bodies) {
    this.jobs = jobs;
    this.work = work;
    this.logs = logs;
    this.signals = signals;
    this.runLogs = runLogs;
    this.bodies = bodies;
  }

  public void submit(Context ctx) throws IOException {
    Bodies.requireJson(ctx);
    Job job = jobs.submit(Auth.principal(ctx), bodies.read(body(ctx), Job.Submit.class, true));
    var out = new java.io.ByteArrayOutputStream(1024);
    JobJson.writeOne(bodies.factory(), out, job);
    ctx.status(201).contentType(ContentType.APPLICATION_JSON);
    // written here, not as ctx.result(...): Javalin copies a result through a fresh 8 KiB buffer.
    // Its output stream still compresses a large answer (a job of many runs).
    out.writeTo(ctx.outputStream());
  }

  /**
   * A small body read at its declared length: Javalin's own read copies it through buffers of tens
   * of KiB, most of a submission's garbage. A body of unknown length, or one over the limit, is
   * left to Javalin (and its 413).
   */
  private static byte[] body(Context ctx) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    if (declared < 0 || declared > dev.ocean.server.OceanServer.MAX_BODY_BYTES) {
      return ctx.bodyAsBytes();
    }
    return ctx.req().getInputStream().readNBytes((int) declared);
  }

  /**
   * Many jobs in one body ({@link JobBatch}), all admitted or none; answers their ids. The body may
   * be larger than other requests' (up to {@value #MAX_BATCH_BYTES} bytes), so it is read here.
   */
  public void submitBatch(Context ctx) throws IOException {
    dev.ocean.server.http.Bodies.requireDeclaredJson(ctx);
    long declared = ctx.req().getContentLengthLong();
    byte[] body =
        declared > MAX_BATCH_BYTES
            ? null
            : ctx.req().getInputStream().readNBytes(MAX_BATCH_BYTES + 1);
    if (body == null || body.length > MAX_BATCH_BYTES) {
      throw new TooLarge(
          null,
          "a batch of jobs may hold at most "
              + MAX_BATCH_BYTES / (1024 * 1024)
              + " MiB of JSON; split it into several batches");
    }
    JobBatch batch = bodies.read(body, JobBatch.class, true);
    List<Long> ids = jobs.batches().submit(Auth.principal(ctx), batch.jobs());
    ctx.status(201).json(new JobBatch.Submitted(ids));
  }

  public void list(Context ctx) throws IOException {
    boolean all = "true".equalsIgnoreCase(ctx.queryParam("all"));
    boolean everyone = "true".equalsIgnoreCase(ctx.queryParam("everyone"));
    // the bytes first: the ETag is their hash, and a poller holding them gets 304 instead
    var out = new Revalidation.Buffer(64 * 1024);
    jobs.writeList(
        Auth.principal(ctx), all, ctx.queryParam("state"), everyone, bodies.factory(), out);
    Revalidation.answer(ctx, out);
  }

  public void get(Context ctx) throws IOException {
    Job job = jobs.get(Auth.principal(ctx), id(ctx));
    var out = new Revalidation.Buffer(1024);
    JobJson.writeOne(bodies.factory(), out, job);
    Revalidation.answer(ctx, out);
  }

  public void cancel(Context ctx) {
    ctx.json(jobs.cancel(Auth.principal(ctx), id(ctx)));
  }

  /**
   * Long poll: answers when the job has ended or after {@code timeout} seconds, capped at {@value
   * #MAX_WAIT_SECONDS} so no request holds a connection (and a proxy's patience) longer; the {@code
   * Ocean-Wait-Seconds} header says how long the server actually waited at most.
   */
  public void await(Context ctx) throws InterruptedException {
    Principal p = Auth.principal(ctx);
    long id = id(ctx);
    long waitMillis = Math.min(millis(ctx, "timeout", MAX_WAIT_SECONDS), MAX_WAIT_SECONDS * 1000L);
    ctx.header("Ocean-Wait-Seconds", String.valueOf(waitMillis / 1000));
    long deadline = System.currentTimeMillis() + waitMillis;
    while (true) {
      long seen = signals.version(JobService.jobKey(id));
      Job job = jobs.get(p, id);
      long left = deadline - System.currentTimeMillis();
      if (job.finishedAt() != null || left <= 0) {
        ctx.json(job);
        return;
      }
      signals.await(JobService.jobKey(id), seen, Math.min(left, 1000));
    }
  }

  /**
   * The run's log as plain text, from byte {@code offset} (default 0) or the last {@code tail}
   * lines; with {@code follow=true} it streams until the run ends.
   */
  public void logs(Context ctx) throws IOException, InterruptedException {
    Principal p = Auth.principal(ctx);
    long id = id(ctx);
    int run = RunIds.index(ctx.pathParam("run"));
    Job job = jobs.get(p, id);
    if (run < 0 || run >= job.repeat()) {
      throw new NotFound("job " + id + " has no run " + run);
    }
    runLogs.stream(ctx, id, run, () -> ended(p, id, run));
  }

  private boolean ended(Principal p, long id, int run) {
    String state = jobs.get(p, id).runs().get(run).state();
    return !(state.equals("pending") || state.equals("assigned") || state.equals("running"));
  }

  public void work(Context ctx) throws InterruptedException {
    ctx.json(poll(ctx));
  }

  /** The long poll of {@code GET /agent/work}, also answered after a batch of reports. */
  private Work poll(Context ctx) throws InterruptedException {
    NodeRef node = Auth.node(ctx);
    String knownParam = ctx.queryParam("known");
    Set<String> known =
        knownParam == null || knownParam.isBlank()
            ? Set.of()
            : new HashSet<>(Arrays.asList(knownParam.split(",")));
    if ("true".equals(ctx.queryParam(AgentProtocol.COMPLETE))) {
      jobs.failRunsTheAgentLacks(node, known);
    }
    // a poll holds no place at the agent gate while it waits for work
    dev.ocean.server.http.AgentGate.leave(ctx.req());
    return work.poll(node, known, Math.min(millis(ctx, "wait", 25), MAX_POLL_MILLIS));
  }

  public void report(Context ctx) {
    RunId r = RunIds.parse(ctx.pathParam("runId"));
    jobs.report(Auth.node(ctx), r, bodies.read(ctx, RunReport.class));
    ctx.json(new LogAck(logs.size(r.jobId(), r.run())));
  }

  /**
   * Many reports in one request ({@link RunReports}): each gets its own result, so a bad one (an
   * unparsable id, a run not on this node, an attempt that is over) does not take the others down.
   * With {@code wait} (and {@code known}) it then long-polls like {@code GET /agent/work}.
   */
  public void reportAll(Context ctx) throws InterruptedException {
    List<RunReports.Item> items = bodies.read(ctx, RunReports.class).reports();
    if (items.size() > MAX_REPORTS) {
      throw new Invalid(
          "reports", "at most " + MAX_REPORTS + " reports per request, not " + items.size());
    }
    List<RunReporting.Item> parsed = new ArrayList<>(items.size());
    for (RunReports.Item i : items) {
      if (i == null || i.report() == null) {
        parsed.add(
            new RunReporting.Item(
                null, null, null, null, new Invalid("report", "report is required")));
        continue;
      }
      try {
        parsed.add(
            new RunReporting.Item(
                RunIds.parse(i.runId()), i.report(), i.logOffset(), i.log(), null));
      } catch (Invalid e) {
        parsed.add(new RunReporting.Item(null, i.report(), null, null, e));
      }
    }
    List<RunReporting.Outcome> outcomes = jobs.report(Auth.node(ctx), parsed);
    List<RunReports.Result> results = new ArrayList<>(outcomes.size());
    for (int n = 0; n < outcomes.size(); n++) {
      var e = outcomes.get(n).error();
      results.add(
          new RunReports.Result(
              items.get(n) == null ? null : items.get(n).runId(),
              e == null ? 200 : ErrorMapper.status(e),
              e == null ? null : e.getMessage(),
              outcomes.get(n).logSize()));
    }
    // With wait, the request polls too: the runs these reports freed are placed meanwhile.
    Work next = ctx.queryParam(AgentProtocol.WAIT) != null ? poll(ctx) : null;
    ctx.json(new RunReports.Answer(results, next));
  }

  public void logSize(Context ctx) {
    RunId r = RunIds.parse(ctx.pathParam("runId"));
    jobs.requireOnNode(Auth.node(ctx), r);
    ctx.json(new LogAck(logs.size(r.jobId(), r.run())));
  }

  public void appendLog(Context ctx) {
    RunId r = RunIds.parse(ctx.pathParam("runId"));
    jobs.requireActiveOnNode(Auth.node(ctx), r);
    long offset = Check.pathId("offset", Check.required("offset", ctx.queryParam("offset")));
    if (offset < 0) {
      throw new Invalid("offset", "offset must not be negative");
    }
    long size = logs.append(r.jobId(), r.run(), offset, ctx.bodyAsBytes());
    ctx.json(new LogAck(size));
  }

  private static long id(Context ctx) {
    return Check.pathId("id", ctx.pathParam("id"));
  }

  private static long millis(Context ctx, String param, int defaultSeconds) {
    String v = ctx.queryParam(param);
    long seconds = v == null ? defaultSeconds : Check.pathId(param, v);
    return Math.max(0, seconds) * 1000;
  }
}
