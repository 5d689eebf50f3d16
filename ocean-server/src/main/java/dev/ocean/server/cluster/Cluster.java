package dev.ocean.server.cluster;

import dev.ocean.server.job.Signals;
import dev.ocean.server.store.Database;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How a server works with the others on its database: alone on SQLite (always leads, wake-ups stay
 * in the process), or one of several on PostgreSQL (leadership by advisory lock, wake-ups by
 * LISTEN/NOTIFY).
 */
public final class Cluster implements AutoCloseable {
  private final Leadership leadership;
  private final ClusterBus bus;

  private Cluster(Leadership leadership, ClusterBus bus) {
    this.leadership = leadership;
    this.bus = bus;
  }

  /**
   * Claims the database at {@code jdbcUrl} before it is opened: a SQLite file for this server
   * alone; a PostgreSQL database is shared, so nothing is claimed until {@link #on}.
   *
   * @throws IllegalStateException when another server already uses the SQLite file
   */
  public static Leadership claim(String jdbcUrl) throws IOException {
    Path file = Database.sqliteFile(jdbcUrl);
    return file == null ? null : SoleLeadership.lock(file);
  }

  /** The cluster role on {@code database}; {@code claimed} is what {@link #claim} returned. */
  public static Cluster on(Database database, Leadership claimed) {
    if (database.dialect() == Database.Dialect.POSTGRES) {
      return new Cluster(new PostgresLeadership(database), new PostgresBus(database));
    }
    return new Cluster(claimed == null ? Leadership.always() : claimed, ClusterBus.none());
  }

  /** Whether other servers may share this database (and so its logs and wake-ups). */
  public boolean shared() {
    return leadership instanceof PostgresLeadership;
  }

  public Leadership leadership() {
    return leadership;
  }

  /**
   * Starts the wake-ups between servers and the race for leadership: {@code signals} reach the
   * other servers, {@code kick} (a scheduling pass here) runs when another asks for one, when
   * wake-ups were missed, and when this server starts to lead.
   */
  public void start(Signals signals, Runnable kick) {
    signals.relayTo(bus::publish);
    bus.start(
        key -> {
          if (key == null) {
            signals.signalEverything();
            kick.run();
          } else if (key.equals(ClusterBus.KICK)) {
            kick.run();
          } else {
            signals.signalHere(key);
          }
        });
    leadership.onLeading(kick);
    if (leadership instanceof PostgresLeadership pg) {
      pg.start();
    }
  }

  /** Asks for a scheduling pass here and on the leader, wherever it runs. */
  public void kickEverywhere(Runnable kick) {
    kick.run();
    bus.publish(ClusterBus.KICK);
  }

  @Override
  public void close() {
    bus.close();
    leadership.close();
  }
}
