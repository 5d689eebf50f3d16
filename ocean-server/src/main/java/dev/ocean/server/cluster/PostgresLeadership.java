package dev.ocean.server.cluster;

import dev.ocean.server.store.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership among servers sharing one PostgreSQL: the leader holds a session-level advisory lock
 * on a connection of its own (not from the pool, so no transaction ever ends it). The others try
 * for the lock every {@link #RETRY}; when the leader dies its session ends, PostgreSQL releases the
 * lock and the next try of another server wins. A leader that loses its connection stops leading at
 * once: it checks the connection before every scheduling pass and timer run.
 */
public final class PostgresLeadership implements Leadership {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresLeadership.class);

  /** How often a server that does not lead tries for the lock. */
  public static final Duration RETRY = Duration.ofSeconds(2);

  /** The advisory lock of leadership ("OCEAN" in ASCII); no other Ocean lock uses this key. */
  static final long LEADER_KEY = 0x4f4345414eL;

  /** The transaction lock every scheduling pass takes, so passes never interleave. */
  static final long PASS_KEY = 0x4f4345414f50L;

  private final Database database;
  private final List<Runnable> onLeading = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread thread;
  private Connection session;
  private volatile boolean leading;
  private long notBefore = System.nanoTime();

  public PostgresLeadership(Database database) {
    this.database = database;
    this.thread =
        Thread.ofPlatform().name("ocean-leadership").daemon(true).unstarted(this::tryForever);
  }

  /** Tries for the lock now, then every {@link #RETRY} in the background. */
  public PostgresLeadership start() {
    tick();
    thread.start();
    return this;
  }

  private void tryForever() {
    try {
      while (!closed.await(RETRY.toMillis(), TimeUnit.MILLISECONDS)) {
        tick();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void tick() {
    boolean gained;
    synchronized (this) {
      if (leading) {
        confirmLeading();
        return;
      }
      if (System.nanoTime() - notBefore < 0) {
        return;
      }
      gained = tryLock();
    }
    if (gained) {
      LOG.info("this server now leads the cluster: it schedules and runs the timers");
      for (Runnable r : onLeading) {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.warn("starting to lead failed in part; the next pass retries", e);
        }
      }
    }
  }

  private boolean tryLock() {
    try {
      if (session == null) {
        session = database.connect();
        try (Statement s = session.createStatement()) {
          // A leader whose machine vanishes sends no FIN: PostgreSQL then drops its session (and
          // the lock) after ~5 s of unanswered keepalives instead of the system's two hours.
          s.execute(
              "SET tcp_keepalives_idle = 2; SET tcp_keepalives_interval = 1;"
                  + " SET tcp_keepalives_count = 3");
        }
      }
      try (Statement s = session.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + LEADER_KEY + ")")) {
        leading = rs.next() && rs.getBoolean(1);
        return leading;
      }
    } catch (SQLException e) {
      LOG.debug("cannot try for leadership now; will retry", e);
      dropSession();
      return false;
    }
  }

  @Override
  public boolean leading() {
    return leading;
  }

  @Override
  public boolean confirm() {
    // a follower answers without waiting for a slow try for the lock to finish
    return leading && confirmLeading();
  }

  private synchronized boolean confirmLeading() {
    if (!leading) {
      return false;
    }
    boolean alive;
    try {
      alive = session.isValid(2);
    } catch (SQLException e) {
      alive = false;
    }
    if (!alive) {
      leading = false;
      dropSession();
      // the servers that kept their sessions try first: a flaky leader should not win it back
      notBefore = System.nanoTime() + 2 * RETRY.toNanos() + RETRY.toNanos() / 2;
      LOG.warn(
          "this server stopped leading: its database session is gone, so another server may"
              + " lead now");
    }
    return alive;
  }

  @Override
  public void fence(Handle h) {
    h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(" + PASS_KEY + ")) AS fence")
        .mapTo(Integer.class)
        .one();
  }

  @Override
  public void onLeading(Runnable action) {
    onLeading.add(action);
  }

  private void dropSession() {
    if (session != null) {
      try {
        session.close();
      } catch (SQLException ignored) {
        // closing a broken connection: nothing left to release
      }
      session = null;
    }
  }

  @Override
  public void close() {
    closed.countDown();
    thread.interrupt();
    synchronized (this) {
      leading = false;
      dropSession();
    }
  }
}
