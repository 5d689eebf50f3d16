package dev.ocean.bench;

import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.RunReports;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One simulated node's outgoing run reports. Against a server with {@code POST /agent/reports} they
 * wait here until the node's poll loop sends them all with its next poll, in order; against an
 * older release (404) each run reports alone from its own thread, as agents did before.
 */
final class SimReports {
  /** A report waiting to be sent; {@code done} runs once the server took it (or ended the run). */
  record Pending(String runId, RunReport report, Runnable done) {}

  private final Http http;
  private final String auth;
  private final AtomicLong errors;
  private final ConcurrentLinkedQueue<Pending> outbox = new ConcurrentLinkedQueue<>();

  SimReports(Http http, String auth, AtomicLong errors) {
    this.http = http;
    this.auth = auth;
    this.errors = errors;
  }

  void add(String runId, RunReport report, Runnable done) {
    outbox.add(new Pending(runId, report, done));
  }

  /** Everything queued so far, in order. */
  List<Pending> drain() {
    List<Pending> out = new ArrayList<>();
    for (Pending p; (p = outbox.poll()) != null; ) {
      out.add(p);
    }
    return out;
  }

  static RunReports body(List<Pending> batch) {
    return new RunReports(
        batch.stream().map(p -> new RunReports.Item(p.runId(), p.report())).toList());
  }

  /** Acts on the server's answer to {@code batch}. */
  void settle(List<Pending> batch, RunReports.Answer answer) {
    for (int i = 0; i < batch.size(); i++) {
      RunReports.Result r = answer.results().get(i);
      if (r.taken() || r.status() == 409) {
        batch.get(i).done().run();
      } else {
        SimCluster.error(errors, new IllegalStateException(r.toString()));
      }
    }
  }

  /** Reports one run's new state alone (an older server), retrying like a real agent. */
  void sendAlone(Pending p, BooleanSupplier closed) {
    String id = URLEncoder.encode(p.runId(), StandardCharsets.UTF_8);
    retry(() -> http.post(auth, AgentProtocol.status(id), p.report(), Void.class), errors, closed);
    p.done().run();
  }

  /**
   * Like a real agent, tries a call again while the server is overloaded or away: as long as it
   * answers 503 with a {@code Retry-After} (load shed, waited out as told), else up to 10 times
   * with a growing pause.
   */
  static <T> T retry(Supplier<T> call, AtomicLong errors, BooleanSupplier closed) {
    for (int attempt = 1; ; ) {
      long wait;
      try {
        return call.get();
      } catch (Http.Status e) {
        if (e.code < 500 || attempt >= 10 || closed.getAsBoolean()) {
          throw e;
        }
        if (e.retryAfterSeconds > 0) {
          BUSY.incrementAndGet();
          wait = e.retryAfterSeconds * 1000;
        } else {
          SimCluster.error(errors, e);
          wait = 500L * attempt++;
        }
      } catch (RuntimeException e) {
        if (attempt >= 10 || closed.getAsBoolean()) {
          throw e;
        }
        SimCluster.error(errors, e);
        wait = 500L * attempt++;
      }
      SimCluster.sleep(wait);
    }
  }

  /** Answers 503 with a Retry-After (the server shedding load) the simulated agents waited out. */
  static final AtomicLong BUSY = new AtomicLong();
}
