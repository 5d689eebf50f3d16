package dev.ocean.server.cluster;

import dev.ocean.server.store.Database;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterBus} over PostgreSQL LISTEN/NOTIFY, each direction on a connection of its own. Keys
 * published in a burst go out together in as few notifications as fit (a payload holds under 8000
 * bytes), each tagged with this server's id so a server ignores its own.
 */
public final class PostgresBus implements ClusterBus {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresBus.class);
  static final String CHANNEL = "ocean_signals";
  static final String LISTENER_NAME = "ocean-listen";
  private static final int MAX_PAYLOAD = 7000;
  private static final long CHECK_QUIET_NANOS = 5_000_000_000L;

  private final Database database;
  private final String self = UUID.randomUUID().toString();
  private final LinkedBlockingQueue<String> outbox = new LinkedBlockingQueue<>();
  private final Thread sender;
  private final Thread listener;
  private volatile boolean running = true;
  private volatile Consumer<String> deliver = k -> {};

  public PostgresBus(Database database) {
    this.database = database;
    this.sender = Thread.ofPlatform().name("ocean-bus-send").daemon(true).unstarted(this::send);
    this.listener =
        Thread.ofPlatform().name("ocean-bus-listen").daemon(true).unstarted(this::listen);
  }

  @Override
  public void publish(String key) {
    if (running) {
      outbox.add(key);
    }
  }

  @Override
  public void start(Consumer<String> deliver) {
    this.deliver = deliver;
    sender.start();
    listener.start();
  }

  private void send() {
    Connection c = null;
    while (running) {
      try {
        String first = outbox.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        Set<String> keys = new LinkedHashSet<>();
        keys.add(first);
        List<String> more = new ArrayList<>();
        outbox.drainTo(more);
        keys.addAll(more);
        if (c == null) {
          c = database.connect();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
          for (String payload : payloads(keys)) {
            ps.setString(1, CHANNEL);
            ps.setString(2, payload);
            ps.executeQuery().close();
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (SQLException e) {
        // the keys are lost; waiters on other servers wake at their next timeout instead
        LOG.debug("cannot notify the other servers; will reconnect", e);
        c = closeQuietly(c);
        pause();
      }
    }
    closeQuietly(c);
  }

  private List<String> payloads(Set<String> keys) {
    List<String> out = new ArrayList<>();
    StringBuilder b = new StringBuilder(self);
    for (String k : keys) {
      if (b.length() > self.length()
          && b.length() + k.getBytes(StandardCharsets.UTF_8).length + 1 > MAX_PAYLOAD) {
        out.add(b.toString());
        b = new StringBuilder(self);
      }
      b.append('\n').append(k);
    }
    out.add(b.toString());
    return out;
  }

  private void listen() {
    Connection c = null;
    // Until LISTEN is in place, other servers' notifications do not reach us: waiters that began
    // before the first LISTEN (a starting server) or during a break may have missed theirs.
    boolean deaf = true;
    long checked = System.nanoTime();
    while (running) {
      try {
        if (c == null) {
          c = database.connect();
          try (Statement s = c.createStatement()) {
            // named, so an operator (or a test) finds the listening sessions in pg_stat_activity
            // whatever they ran last (a liveness check shows as an empty query)
            s.execute("SET application_name = '" + LISTENER_NAME + "'");
            s.execute("LISTEN " + CHANNEL);
          }
          if (deaf) {
            deaf = false;
            deliver.accept(null); // notifications sent while we were not listening are gone
          }
        }
        PGNotification[] got = c.unwrap(PGConnection.class).getNotifications(1000);
        if (got == null || got.length == 0) {
          // a quiet connection may be a dead one (no FIN from a vanished database machine)
          if (System.nanoTime() - checked > CHECK_QUIET_NANOS) {
            if (!c.isValid(2)) {
              throw new SQLException("the notification connection stopped answering");
            }
            checked = System.nanoTime();
          }
          continue;
        }
        checked = System.nanoTime();
        for (PGNotification n : got) {
          receive(n.getParameter());
        }
      } catch (SQLException e) {
        if (running) {
          LOG.debug("lost the notification connection; will reconnect", e);
        }
        c = closeQuietly(c);
        deaf = true;
        pause();
      } catch (RuntimeException e) {
        LOG.warn("a wake-up from another server failed", e);
      }
    }
    closeQuietly(c);
  }

  private void receive(String payload) {
    String[] parts = payload.split("\n");
    if (parts.length == 0 || parts[0].equals(self)) {
      return;
    }
    for (int i = 1; i < parts.length; i++) {
      deliver.accept(parts[i]);
    }
  }

  private void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static Connection closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already broken
      }
    }
    return null;
  }

  @Override
  public void close() {
    running = false;
    sender.interrupt();
    listener.interrupt();
  }
}
