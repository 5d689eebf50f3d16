package dev.ocean.agent.work;

import dev.ocean.agent.work.ReportDelivery.QueuedReport;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.RunReports;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The run reports this agent has yet to deliver, in the order they happened. The poller takes what
 * queued while it handled the last answer and sends it with its next poll ({@link #takeForPoll});
 * reports that come while a long poll is out go through one sender thread ({@link ReportDelivery}),
 * every report queued since its last request in one {@code POST /agent/reports}. Never are two
 * requests with reports in flight that could be applied out of order: the sender waits while the
 * poller is about to take the queue or has a short poll out, the poller waits for the sender's
 * request in flight, and a long poll carries only runs that end in it. So a run's end never
 * overtakes its {@code running}.
 *
 * <p>Right after a poll handed out new runs ({@link #expect}), the reports wait a moment for them
 * (at most {@link #LINGER}, and no longer than {@link #QUIET} after the last report once each has
 * reported): a short run's {@code running}, its end and its last log bytes then travel in one
 * request with the others of its round, the poll that also waits for the next work.
 *
 * <p>A server without batches answers 404: from then on each report goes alone ({@link Reporter}),
 * as agents did before. A request that fails is sent again with backoff while the server is away or
 * overloaded, so no report is lost to a restart.
 */
final class ReportOutbox implements AutoCloseable {
  /** The longest the sender holds back reports for runs a poll just handed out. */
  static final Duration LINGER = Duration.ofMillis(50);

  /** Once every new run has reported, how long without another report ends the wait. */
  static final Duration QUIET = Duration.ofMillis(5);

  /** Reports per request (the server takes up to 1,000). */
  static final int MAX_REPORTS = 500;

  /** Log bytes per request, so a request stays well under the server's 1 MiB body limit. */
  static final int MAX_LOG_BYTES = 256 * 1024;

  private final ReportDelivery delivery;
  private final BooleanSupplier closed;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<QueuedReport> queue = new ArrayDeque<>();
  private final Set<String> expected = new HashSet<>();
  private long expectUntil;
  private long lastQueued;
  private boolean held; // the poller takes what is queued with its next poll
  private boolean sending; // the sender has a batch in flight
  private final Thread sender;

  ReportOutbox(WorkApi api, WorkTiming timing, BooleanSupplier closed) {
    this.closed = closed;
    this.delivery = new ReportDelivery(api, timing, closed);
    this.sender = Thread.ofVirtual().name("ocean-reports").unstarted(this::run);
  }

  ReportOutbox start() {
    sender.start();
    return this;
  }

  /** Whether the server takes batches (and so log bytes with a report); true until it says no. */
  boolean batches() {
    return delivery.batches;
  }

  /**
   * Queues a report; the future says whether the server took it (false: it already considers the
   * run ended, or refused the report for good).
   *
   * @param log the run's last log bytes, starting at {@code logOffset}, or null
   */
  CompletableFuture<Boolean> send(String runId, RunReport report, Long logOffset, byte[] log) {
    QueuedReport p = new QueuedReport(runId, report, logOffset, log, new CompletableFuture<>());
    lock.lock();
    try {
      queue.add(p);
      lastQueued = System.nanoTime();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return p.taken();
  }

  /**
   * Like {@link #send}, waiting for the verdict.
   *
   * @throws InterruptedException when the agent shuts down first; the report is re-derived after a
   *     restart
   */
  boolean deliver(String runId, RunReport report, Long logOffset, byte[] log)
      throws InterruptedException {
    return await(runId, send(runId, report, logOffset, log));
  }

  /** Waits for a report's verdict; an agent shutting down first is an interruption. */
  static boolean await(String runId, CompletableFuture<Boolean> taken) throws InterruptedException {
    try {
      return taken.get();
    } catch (ExecutionException | CancellationException e) {
      throw new InterruptedException("agent closing before run " + runId + " was reported");
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
      expectUntil = System.nanoTime() + LINGER.toNanos();
    } finally {
      lock.unlock();
    }
  }

  /** What the poller sends with its next poll: reports, and the runs they end. */
  static final class Round {
    private final List<QueuedReport> batch;
    private final Set<String> ended = new HashSet<>();

    private Round(List<QueuedReport> batch) {
      this.batch = batch;
      batch.stream().filter(QueuedReport::ends).forEach(p -> ended.add(p.runId()));
    }

    boolean isEmpty() {
      return batch.isEmpty();
    }

    /** Runs this round ends: no longer the agent's once the server has the round. */
    Set<String> ended() {
      return ended;
    }

    /**
     * Whether every run the round names ends in it: then no later report of those runs can overtake
     * it, and the poll carrying it may wait for work as long as it likes.
     */
    boolean endsAll() {
      return batch.stream().allMatch(p -> ended.contains(p.runId()));
    }

    List<RunReports.Item> items() {
      return batch.stream().map(ReportDelivery::item).toList();
    }
  }

  /**
   * For the poller, before it polls: waits out the moment for runs just handed out, then takes what
   * is queued, to send with the poll. While a poll carrying reports of runs that go on is in flight
   * (it must be a short one), the sender sends nothing, so that no later report of those runs
   * overtakes it; during a long poll it sends what comes.
   */
  Round takeForPoll() throws InterruptedException {
    lock.lock();
    try {
      held = true;
      while (sending) {
        changed.await(); // its reports must reach the server before any that follow them
      }
      for (long wait; (wait = holdFor(System.nanoTime())) > 0; ) {
        changed.awaitNanos(wait);
      }
      Round round = new Round(delivery.batches ? take() : List.of());
      held = !round.endsAll();
      changed.signalAll();
      return round;
    } finally {
      lock.unlock();
    }
  }

  /** For the poller: its poll was answered; reports queued from now on wait for its next one. */
  void polled(Round round, RunReports.Answer answer) {
    hold(true);
    List<QueuedReport> again =
        round.isEmpty() ? List.of() : ReportDelivery.settle(round.batch, answer);
    if (!again.isEmpty()) {
      putBack(again, false);
    }
  }

  /** For the poller: it polls again later; the sender sends what comes meanwhile. */
  void release() {
    hold(false);
  }

  /** For the poller: its poll failed; the sender delivers the round's reports (404: alone). */
  void pollFailed(Round round, boolean noBatches) {
    if (noBatches) {
      delivery.batches = false;
    }
    putBack(round.batch, true);
  }

  private void putBack(List<QueuedReport> reports, boolean release) {
    lock.lock();
    try {
      for (int i = reports.size() - 1; i >= 0; i--) {
        queue.addFirst(reports.get(i));
      }
      held = held && !release;
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
      List<QueuedReport> batch;
      try {
        batch = next();
      } catch (InterruptedException e) {
        break;
      }
      try {
        delivery.deliver(batch);
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
    lock.lock();
    try {
      queue.forEach(p -> p.taken().cancel(false));
      queue.clear();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for reports worth sending now and takes them, oldest first, within a request's limits.
   */
  private List<QueuedReport> next() throws InterruptedException {
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

  /** Takes what is queued, oldest first, within a request's limits; the lock is held. */
  private List<QueuedReport> take() {
    {
      expected.clear(); // one round: later reports of these runs go at once
      List<QueuedReport> batch = new ArrayList<>();
      int logBytes = 0;
      while (!queue.isEmpty() && batch.size() < MAX_REPORTS) {
        QueuedReport p = queue.peek();
        if (!batch.isEmpty() && logBytes + p.logBytes() > MAX_LOG_BYTES) {
          break;
        }
        logBytes += p.logBytes();
        batch.add(queue.poll());
      }
      return batch;
    }
  }

  /** How much longer to hold back the queued reports for runs just handed out; 0: send now. */
  private long holdFor(long now) {
    if (expected.isEmpty() || now >= expectUntil) {
      return 0;
    }
    Set<String> reported = new HashSet<>();
    Set<String> ended = new HashSet<>();
    for (QueuedReport p : queue) {
      reported.add(p.runId());
      if (p.ends()) {
        ended.add(p.runId());
      }
    }
    if (ended.containsAll(expected)) {
      return 0;
    }
    if (reported.containsAll(expected)) {
      return Math.min(expectUntil, lastQueued + QUIET.toNanos()) - now;
    }
    return expectUntil - now;
  }

  /** Stops sending; reports still queued are left for the next agent to re-derive. */
  @Override
  public void close() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    sender.interrupt();
    try {
      sender.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
