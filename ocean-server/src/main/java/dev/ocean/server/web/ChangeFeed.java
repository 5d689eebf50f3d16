package dev.ocean.server.web;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that a kind of thing changed (jobs, instances, nodes, quotas, volumes, users) so open web
 * pages refetch their lists. While at least one page listens it reads one small aggregate per kind
 * each second (counts and state lengths, cheap on an index-less scan of a lab's tables) and bumps
 * that kind's version when the aggregate moved; with no listener it reads nothing.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

  /** One aggregate per topic; any change of it means "refetch". */
  static final Map<String, String> FINGERPRINTS =
      Map.of(
          "jobs",
          "SELECT COUNT(*), SUM(LENGTH(state)), MAX(assigned_at), MAX(started_at),"
              + " MAX(finished_at) FROM runs",
          "instances",
          "SELECT COUNT(*), SUM(LENGTH(state)), MAX(started_at), MAX(stopped_at),"
              + " MAX(deleted_at), MAX(extended_until), SUM(LENGTH(COALESCE(address, '')))"
              + " FROM instances",
          "nodes",
          "SELECT COUNT(*), SUM(LENGTH(state)), SUM(LENGTH(desired)) FROM nodes",
          "quotas",
          "SELECT (SELECT COUNT(*) FROM quota_requests), (SELECT SUM(LENGTH(state)) FROM"
              + " quota_requests), (SELECT COUNT(*) FROM quotas), (SELECT SUM(LENGTH(state))"
              + " FROM quotas), (SELECT COUNT(*) FROM allocations)",
          "volumes",
          "SELECT COUNT(*), MAX(id) FROM volumes",
          "users",
          "SELECT COUNT(*), SUM(LENGTH(status)), SUM(LENGTH(role)) FROM users");

  private final Jdbi jdbi;
  private final Map<String, String> last = new HashMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private final AtomicInteger listeners = new AtomicInteger();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofVirtual().name("ocean-changes").factory());
  private long version;

  public ChangeFeed(Jdbi jdbi) {
    this.jdbi = jdbi;
    timer.scheduleWithFixedDelay(this::pollQuietly, 1, 1, TimeUnit.SECONDS);
  }

  /** The overall version; it moves whenever any topic does. */
  public synchronized long version() {
    return version;
  }

  /** Each topic's version, to compare with a later call. */
  public synchronized Map<String, Long> versions() {
    return Map.copyOf(versions);
  }

  /** Waits until {@link #version()} differs from {@code seen} or the time is up. */
  public synchronized void await(long seen, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (version == seen) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      wait(left);
    }
  }

  void listening(int delta) {
    if (listeners.addAndGet(delta) > 0 && delta > 0) {
      // A new listener starts from what is there now, read here, before its page hears "hello":
      // read later on the timer, a change made just after "hello" became part of the baseline and
      // no page heard of it (seen once in CI: a quota request right after opening the stream).
      pollQuietly();
    }
  }

  private void pollQuietly() {
    try {
      if (listeners.get() > 0) {
        poll();
      } else {
        synchronized (this) {
          last.clear(); // unknown while nobody listens; the first poll after only sets a baseline
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("change poll failed; will retry", e);
    }
  }

  /** Reads every topic's aggregate now and bumps those that moved (tests call it directly). */
  void poll() {
    Map<String, String> now = new HashMap<>();
    jdbi.useHandle(
        h ->
            FINGERPRINTS.forEach(
                (topic, sql) -> now.put(topic, h.createQuery(sql).map(ChangeFeed::row).one())));
    synchronized (this) {
      boolean moved = false;
      for (var e : now.entrySet()) {
        String before = last.put(e.getKey(), e.getValue());
        if (before != null && !before.equals(e.getValue())) {
          versions.merge(e.getKey(), 1L, Long::sum);
          moved = true;
        }
      }
      if (moved) {
        version++;
        notifyAll();
      }
    }
  }

  /** A row's values by position (PostgreSQL names every SUM "sum", so names do not do). */
  private static String row(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext c)
      throws java.sql.SQLException {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
      b.append(rs.getString(i)).append('|');
    }
    return b.toString();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
