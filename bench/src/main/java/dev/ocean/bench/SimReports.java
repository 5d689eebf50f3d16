package dev.ocean.bench;

import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.RunReports;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One simulated node's outgoing run reports, sent as the real agent's {@code ReportOutbox} sends
 * them: one thread, one request in flight ({@code POST /agent/reports}, no poll), every report
 * queued since the last in order; right after a poll handed out runs it waits for them at most 50
 * ms (5 ms after the last report once each has reported), so a short run's {@code running}, its end
 * and its log bytes travel together with the others of its round. Against an older release (404)
 * each report goes alone, its log first, as agents did before.
 */
final class SimReports {
  /** A report waiting to be sent; {@code done} runs once the server took it (or ended the run). */
  record Pending(String runId, RunReport report, Long logOffset, byte[] log, Runnable done) {}

  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final int MAX_REPORTS = 500;
  private static final int MAX_LOG_BYTES = 256 * 1024;

  private final Http http;
  private final String auth;
  private final AtomicLong errors;
  private final BooleanSupplier closed;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Set<String> expected = new HashSet<>();
  private long expectUntil;
  private long lastQueued;
  private boolean held; // the poll loop takes what is queued with its next poll
  private boolean sending; // the sender has a batch in flight

  /** Whether the server takes batched reports; cleared by the first 404 (an older release). */
  private final boolean[] batches;

  SimReports(Http http, String auth, AtomicLong errors, boolean[] batches, BooleanSupplier closed) {
    this.http = http;
    this.auth = auth;
    this.errors = errors;
    this.batches = batches;
    this.closed = closed;
  }

  void start(String name) {
    Thread.ofVirtual().name("sim-reports-" + name).start(this::run);
  }

  void add(Pending p) {
    lock.lock();
    try {
      queue.add(p);
      lastQueued = System.nanoTime();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The poll just handed out {@code runIds}: hold their first reports back a moment. */
  void expect(Collection<String> runIds) {
    if (runIds.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      expected.addAll(runIds);
      expectUntil = System.nanoTime() + LINGER_NANOS;
    } finally {
      lock.unlock();
    }
  }

  /**
   * For the poll loop, as the real agent's: waits for the sender's batch in flight and out the
   * moment for runs just handed out, then takes what is queued to send with the poll; {@code
   * endsAll} says whether every run it names ends in it (then the poll may wait long and the sender
   * goes on meanwhile; else the poll asks for an answer at once and the sender waits).
   */
  record Round(List<Pending> batch, Set<String> ended, boolean endsAll) {}

  Round takeForPoll() throws InterruptedException {
    lock.lock();
    try {
      held = true;
      while (sending) {
        changed.await();
      }
      for (long wait; (wait = holdFor(System.nanoTime())) > 0; ) {
        changed.awaitNanos(wait);
      }
      List<Pending> batch = batches[0] ? take() : List.of();
      Set<String> ended = new HashSet<>();
      batch.stream()
          .filter(p -> !p.report().state().equals("running"))
          .forEach(p -> ended.add(p.runId()));
      boolean endsAll = batch.stream().allMatch(p -> ended.contains(p.runId()));
      held = !endsAll;
      changed.signalAll();
      return new Round(batch, ended, endsAll);
    } finally {
      lock.unlock();
    }
  }

  /** The poll was answered: acts on the round's results; reports wait for the next poll. */
  void polled(Round round, RunReports.Answer answer) {
    hold(true);
    if (!round.batch().isEmpty()) {
      settle(round.batch(), answer);
    }
  }

  /** The poll failed: the sender delivers the round's reports (alone, for an older server). */
  void pollFailed(Round round, boolean noBatches) {
    if (noBatches) {
      batches[0] = false;
    }
    lock.lock();
    try {
      for (int i = round.batch().size() - 1; i >= 0; i--) {
        queue.addFirst(round.batch().get(i));
      }
      held = false;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void hold(boolean hold) {
    lock.lock();
    try {
      held = hold;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (!closed.getAsBoolean()) {
      List<Pending> batch;
      try {
        batch = next();
      } catch (InterruptedException e) {
        return;
      }
      try {
        deliver(batch);
      } catch (RuntimeException e) {
        if (!closed.getAsBoolean()) {
          SimCluster.error(errors, e);
        }
      } finally {
        lock.lock();
        try {
          sending = false;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
  }

  private List<Pending> next() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        long wait =
            queue.isEmpty() || held ? TimeUnit.SECONDS.toNanos(1) : holdFor(System.nanoTime());
        if (wait <= 0) {
          break;
        }
        if (closed.getAsBoolean()) {
          throw new InterruptedException();
        }
        changed.awaitNanos(wait);
      }
      sending = true;
      return take();
    } finally {
      lock.unlock();
    }
  }

  private List<Pending> take() {
    {
      expected.clear();
      List<Pending> batch = new ArrayList<>();
      int logBytes = 0;
      while (!queue.isEmpty() && batch.size() < MAX_REPORTS) {
        Pending p = queue.peek();
        int bytes = p.log() == null ? 0 : p.log().length;
        if (!batch.isEmpty() && logBytes + bytes > MAX_LOG_BYTES) {
          break;
        }
        logBytes += bytes;
        batch.add(queue.poll());
      }
      return batch;
    }
  }

  private long holdFor(long now) {
    if (expected.isEmpty() || now >= expectUntil) {
      return 0;
    }
    Set<String> reported = new HashSet<>();
    Set<String> ended = new HashSet<>();
    for (Pending p : queue) {
      reported.add(p.runId());
      if (!p.report().state().equals("running")) {
        ended.add(p.runId());
      }
    }
    if (ended.containsAll(expected)) {
      return 0;
    }
    if (reported.containsAll(expected)) {
      return Math.min(expectUntil, lastQueued + QUIET_NANOS) - now;
    }
    return expectUntil - now;
  }

  private void deliver(List<Pending> batch) {
    if (batches[0]) {
      SimCluster.WORK_REQUESTS.incrementAndGet();
      SimCluster.BATCHES.incrementAndGet();
      try {
        RunReports.Answer answer =
            retry(
                () -> http.post(auth, AgentProtocol.REPORTS, body(batch), RunReports.Answer.class),
                errors,
                closed);
        settle(batch, answer);
        return;
      } catch (Http.Status e) {
        if (e.code != 404) {
          throw e;
        }
        batches[0] = false; // an older release: every run reports alone from now on
      }
    }
    batch.forEach(this::sendAlone);
  }

  static RunReports body(List<Pending> batch) {
    return new RunReports(
        batch.stream()
            .map(p -> new RunReports.Item(p.runId(), p.report(), p.logOffset(), p.log()))
            .toList());
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

  /** Reports one run's new state alone (an older server), its log first, retrying. */
  private void sendAlone(Pending p) {
    String id = URLEncoder.encode(p.runId(), StandardCharsets.UTF_8);
    SimCluster.WORK_REQUESTS.addAndGet(p.log() != null ? 2 : 1);
    if (p.log() != null) {
      retry(
          () ->
              http.postBytes(
                  auth, AgentProtocol.logs(id) + "?offset=" + p.logOffset(), p.log(), Void.class),
          errors,
          closed);
    }
    retry(() -> http.post(auth, AgentProtocol.status(id), p.report(), Void.class), errors, closed);
    p.done().run();
  }

  /**
   * Like a real agent, tries a call again while the server is overloaded or away: as long as it
   * answers 503 with a {@code Retry-After} (load shed, waited out as told), else up to 10 times
   * with a growing pause.
   */
  static <T> T retry(Supplier<T> call, AtomicLong errors, BooleanSupplier closed) {
    boolean stale = false;
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
          wait = SimCluster.jittered(e.retryAfterSeconds);
        } else {
          SimCluster.error(errors, e);
          wait = 500L * attempt++;
        }
      } catch (java.io.UncheckedIOException e) {
        if (attempt >= 10 || closed.getAsBoolean()) {
          throw e;
        }
        if (attempt == 1 && !stale) {
          // No response byte on a pooled connection the busy server had closed: sent again at
          // once, as the real agent's OkHttp does on a stale connection.
          stale = true;
          continue;
        }
        SimCluster.error(errors, e);
        wait = 500L * attempt++;
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
