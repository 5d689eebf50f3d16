package dev.ocean.server.cluster;

import org.jdbi.v3.core.Handle;

/**
 * Which server of a cluster schedules and runs the timers (quota expiry, lost nodes). Every server
 * serves the API and the agent protocol; exactly one leads. On SQLite the one server always leads
 * ({@link SoleLeadership}); on PostgreSQL the leader is the holder of an advisory lock ({@link
 * PostgresLeadership}).
 */
public interface Leadership extends AutoCloseable {
  /** Whether this server leads now, as last seen (cheap: no database round trip). */
  boolean leading();

  /**
   * Whether this server still leads, checked against the database now; a server whose lock session
   * is gone stops leading at once and answers false.
   */
  boolean confirm();

  /**
   * Runs inside the transaction of a scheduling pass, before it reads: passes of two servers that
   * both believe they lead (for the moment a lost leader needs to notice) never interleave.
   */
  void fence(Handle h);

  /** Runs {@code action} each time this server starts leading (e.g. a scheduling pass at once). */
  void onLeading(Runnable action);

  @Override
  void close();

  /** A server alone on its database: it always leads. */
  static Leadership always() {
    return new Leadership() {
      @Override
      public boolean leading() {
        return true;
      }

      @Override
      public boolean confirm() {
        return true;
      }

      @Override
      public void fence(Handle h) {}

      @Override
      public void onLeading(Runnable action) {}

      @Override
      public void close() {}
    };
  }
}
