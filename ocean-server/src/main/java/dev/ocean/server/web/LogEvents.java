package dev.ocean.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.job.Job;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.http.Auth;
import dev.ocean.server.job.JobService;
import dev.ocean.server.job.RunLogs;
import dev.ocean.server.job.Signals;
import dev.ocean.server.logs.LogStore;
import dev.ocean.server.user.Principal;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code GET /api/v1/jobs/{id}/runs/{run}/log-events}: a run's log as Server-Sent Events for the
 * web UI. Each {@code log} event carries a JSON string of whole UTF-8 characters and has the byte
 * offset after it as its id, so a reconnecting EventSource (Last-Event-ID) resumes without a gap or
 * a repeat; an {@code end} event with the run's state follows the last byte of an ended run. Only
 * the job's owner (or an admin) can read it: anyone else gets the same 404 as for the job.
 */
public final class LogEvents {
  private static final long PING_MILLIS = 15_000;
  private static final Set<String> ACTIVE = Set.of("pending", "assigned", "running");

  private final JobService jobs;
  private final LogStore logs;
  private final Signals signals;
  private final ObjectMapper mapper;
  private final RunLogs runLogs;

  public LogEvents(
      JobService jobs, LogStore logs, Signals signals, ObjectMapper mapper, RunLogs runLogs) {
    this.jobs = jobs;
    this.logs = logs;
    this.signals = signals;
    this.mapper = mapper;
    this.runLogs = runLogs;
  }

  public void stream(Context ctx) throws IOException, InterruptedException {
    Principal p = Auth.principal(ctx);
    long id = dev.ocean.server.error.Check.pathId("id", ctx.pathParam("id"));
    int run = runIndex(ctx.pathParam("run"));
    Job job = jobs.get(p, id);
    if (run >= job.repeat()) {
      throw new NotFound("job " + id + " has no run " + run);
    }
    long pos = resumeAt(ctx);
    int seconds = dev.ocean.server.http.Check.queryInt(ctx, "timeout", 600, 0, 3600);
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    EventsController.Sse.start(ctx);
    OutputStream out = ctx.res().getOutputStream();
    EventsController.Sse.write(out, "retry: 1000\n\n");
    RunLogs.Lost lost = runLogs.lost(id, run);
    if (lost != null) { // the page says so, rather than show an empty log of an ended run
      EventsController.Sse.write(out, "event: lost\ndata: " + lost.recorded() + "\n\n");
      return;
    }
    String key = LogStore.key(id, run);
    // The agent ships a run's whole log before it reports the end: one read after the end finds
    // every byte.
    String endState = null;
    long lastWrite = System.currentTimeMillis();
    while (true) {
      long seen = signals.version(key);
      byte[] chunk = logs.read(id, run, pos, 64 * 1024);
      int whole = endState != null ? chunk.length : wholeCharacters(chunk);
      if (whole > 0) {
        String text = new String(chunk, 0, whole, StandardCharsets.UTF_8);
        pos += whole;
        lastWrite = System.currentTimeMillis();
        EventsController.Sse.write(
            out, "id: " + pos + "\nevent: log\ndata: " + mapper.writeValueAsString(text) + "\n\n");
        continue;
      }
      if (endState != null) {
        EventsController.Sse.write(
            out,
            "id: " + pos + "\nevent: end\ndata: " + mapper.writeValueAsString(endState) + "\n\n");
        return;
      }
      String state = jobs.get(p, id).runs().get(run).state();
      if (!ACTIVE.contains(state)) {
        endState = state;
        continue;
      }
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      if (System.currentTimeMillis() - lastWrite >= PING_MILLIS) {
        // a quiet run must not look like a dead connection to proxies and Jetty's idle timeout
        EventsController.Sse.write(out, ": ping\n\n");
        lastWrite = System.currentTimeMillis();
      }
      signals.await(key, seen, Math.min(left, 1000));
    }
  }

  private static int runIndex(String text) {
    if (text == null || !text.matches("[0-9]{1,9}")) {
      throw new Invalid("run", "run must be a run index from 0, not '" + text + "'");
    }
    return Integer.parseInt(text);
  }

  private static long resumeAt(Context ctx) {
    String last = ctx.header("Last-Event-ID");
    if (last == null || last.isBlank()) {
      last = ctx.queryParam("offset");
    }
    if (last == null || last.isBlank()) {
      return 0;
    }
    long offset = dev.ocean.server.error.Check.pathId("offset", last.strip());
    if (offset < 0) {
      throw new Invalid("offset", "offset must not be negative");
    }
    return offset;
  }

  /** How many leading bytes form whole UTF-8 characters (a chunk may end inside one). */
  static int wholeCharacters(byte[] b) {
    int n = b.length;
    for (int back = 1; back <= Math.min(3, n); back++) {
      int c = b[n - back] & 0xff;
      if ((c & 0xc0) == 0x80) {
        continue; // a continuation byte: look further back for its lead
      }
      int need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      return need > back ? n - back : n;
    }
    return n;
  }
}
