package dev.ocean.bench;

import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.RunReports;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated node's outgoing run reports: a thread sends whatever queued up meanwhile in one
 * {@code POST /agent/reports}, in order, and sends the same batch again while the server is busy
 * (503 with {@code Retry-After}) or away. Against a server without that endpoint (404, an older
 * release) it reports run by run, as agents did before.
 */
final class SimReports {
  /** A report waiting to be sent; {@code done} runs once the server took it (or ended the run). */
  record Pending(String runId, RunReport report, Runnable done) {}

  /** Cleared once a server answered 404 to the batch endpoint: then every node reports singly. */
  private final boolean[] batches;

  private final Http http;
  private final String auth;
  private final AtomicLong errors;
  private final LinkedBlockingQueue<Pending> outbox = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  SimReports(Http http, String auth, AtomicLong errors, boolean[] batches) {
    this.http = http;
    this.auth = auth;
    this.errors = errors;
    this.batches = batches;
    Thread.ofVirtual().name("sim-reports").start(this::loop);
  }

  void add(String runId, RunReport report, Runnable done) {
    outbox.add(new Pending(runId, report, done));
  }

  void close() {
    closed = true;
    outbox.add(new Pending(null, null, () -> {}));
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>();
    while (!closed) {
      try {
        batch.add(outbox.take());
        outbox.drainTo(batch, 999);
        batch.removeIf(p -> p.runId() == null);
        if (!batch.isEmpty()) {
          send(batch);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!closed) {
          errors.incrementAndGet();
        }
      } finally {
        batch.clear();
      }
    }
  }

  private void send(List<Pending> batch) {
    if (!batches[0]) {
      batch.forEach(this::sendAlone);
      return;
    }
    List<RunReports.Item> items =
        batch.stream().map(p -> new RunReports.Item(p.runId(), p.report())).toList();
    RunReports.Answer answer;
    try {
      answer = retry(() -> http.post(auth, AgentProtocol.REPORTS, new RunReports(items), RunReports.Answer.class));
    } catch (Http.Status e) {
      if (e.code == 404) {
        batches[0] = false;
        batch.forEach(this::sendAlone);
        return;
      }
      throw e;
    }
    for (int i = 0; i < batch.size(); i++) {
      RunReports.Result r = answer.results().get(i);
      if (r.taken() || r.status() == 409) {
        batch.get(i).done().run();
      } else {
        errors.incrementAndGet();
      }
    }
  }

  private void sendAlone(Pending p) {
    String id = URLEncoder.encode(p.runId(), StandardCharsets.UTF_8);
    retry(() -> http.post(auth, AgentProtocol.status(id), p.report(), Void.class));
    p.done().run();
  }

  /**
   * Like a real agent, tries a call again while the server is overloaded or away, waiting what
   * its {@code Retry-After} says or backing off.
   */
  <T> T retry(java.util.function.Supplier<T> call) {
    return retry(call, http, errors, () -> closed);
  }

  static <T> T retry(
      java.util.function.Supplier<T> call,
      Http http,
      AtomicLong errors,
      java.util.function.BooleanSupplier closed) {
    for (int attempt = 1; ; ) {
      long wait;
      try {
        return call.get();
      } catch (Http.Status e) {
        if (e.code < 500 || attempt >= 10 || closed.getAsBoolean()) {
          throw e;
        }
        if (e.retryAfterSeconds > 0) {
          // backpressure, not a failure: wait as told, without giving up
          BUSY.incrementAndGet();
          wait = e.retryAfterSeconds * 1000;
        } else {
          errors.incrementAndGet();
          wait = 500L * attempt++;
        }
      } catch (RuntimeException e) {
        if (attempt >= 10 || closed.getAsBoolean()) {
          throw e;
        }
        errors.incrementAndGet();
        wait = 500L * attempt++;
      }
      SimCluster.sleep(wait);
    }
  }

  /** Answers 503 with a Retry-After (the server shedding load) the simulated agents waited out. */
  static final AtomicLong BUSY = new AtomicLong();
}
