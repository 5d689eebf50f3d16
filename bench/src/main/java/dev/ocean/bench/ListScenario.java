package dev.ocean.bench;

import dev.ocean.common.api.job.JobBatch;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /jobs} with many pending jobs, as a poller sees it: the whole answer (bytes, not
 * parsed, so the figure is the server's and the wire's), then the same request revalidated with the
 * answer's ETag in {@code If-None-Match} (304 with no body while nothing changed).
 */
final class ListScenario {
  private ListScenario() {}

  static void list(Bench.Context c) throws Exception {
    int pending = c.knob("list.pending", 1000);
    int samples = c.knob("list.samples", 200);
    try (ServerProcess s = c.server("list")) {
      s.grant(pending + 10);
      for (int done = 0; done < pending; done += 500) {
        List<dev.ocean.common.api.job.Job.Submit> jobs = new ArrayList<>();
        for (int i = done; i < Math.min(pending, done + 500); i++) {
          jobs.add(ApiScenarios.submit("pending", 1));
        }
        s.http.post(s.adminAuth, "/jobs/batch", new JobBatch(jobs), JobBatch.Submitted.class);
      }
      String etag =
          s.http.raw(s.adminAuth, "/jobs", null).headers().firstValue("ETag").orElse(null);
      for (int i = 0; i < 200; i++) { // warm-up: the JIT, the connection
        s.http.raw(s.adminAuth, "/jobs", i % 2 == 0 ? null : etag);
      }
      // interleaved, so both figures see the same load on a shared machine
      List<Double> full = new ArrayList<>();
      List<Double> again = new ArrayList<>();
      int bytes = 0;
      int notModified = 0;
      for (int i = 0; i < samples; i++) {
        long a = System.nanoTime();
        HttpResponse<byte[]> r = s.http.raw(s.adminAuth, "/jobs", null);
        full.add((System.nanoTime() - a) / 1e6);
        bytes = r.body().length;
        etag = r.headers().firstValue("ETag").orElse(null);
        a = System.nanoTime();
        r = s.http.raw(s.adminAuth, "/jobs", etag);
        again.add((System.nanoTime() - a) / 1e6);
        notModified += r.statusCode() == 304 ? 1 : 0;
      }
      double[] f = Results.toArray(full);
      c.results()
          .row(
              "list",
              "GET /jobs with " + pending + " pending, p50",
              Results.percentile(f, 50),
              "ms",
              "< 10",
              Map.of("jobs", pending, "bytes", bytes, "p99Ms", Results.percentile(f, 99)));
      double[] g = Results.toArray(again);
      c.results()
          .row(
              "list",
              "GET /jobs with " + pending + " pending, If-None-Match, p50",
              Results.percentile(g, 50),
              "ms",
              "< 10",
              Map.of(
                  "jobs",
                  pending,
                  "answered304",
                  notModified + " of " + samples,
                  "p99Ms",
                  Results.percentile(g, 99)));
    }
  }
}
