package dev.ocean.server.job;

import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads that must see one moment of the database, e.g. a list's runs and their jobs: what commits
 * between two of its statements is seen by neither. On SQLite (WAL) it is a deferred read
 * transaction on the handle's own connection, which readers hold side by side: it takes neither the
 * write lock that every Ocean transaction takes up front ({@code BEGIN IMMEDIATE}) nor the server's
 * writer queue. On PostgreSQL it is a {@code REPEATABLE READ, READ ONLY} transaction.
 */
final class ReadSnapshot {
  private final Jdbi jdbi;
  private volatile Boolean sqlite;

  ReadSnapshot(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  <R> R read(HandleCallback<R, RuntimeException> reads) {
    return jdbi.withHandle(h -> isSqlite(h) ? onSqlite(h, reads) : onPostgres(h, reads));
  }

  private static <R> R onSqlite(Handle h, HandleCallback<R, RuntimeException> reads) {
    // the connection is in autocommit mode: the driver neither sees nor ends this transaction
    h.execute("BEGIN DEFERRED");
    boolean ended = false;
    try {
      R r = reads.withHandle(h);
      h.execute("COMMIT");
      ended = true;
      return r;
    } finally {
      if (!ended) {
        try {
          h.execute("ROLLBACK"); // never hand the pool a connection inside a transaction
        } catch (RuntimeException e) {
          // the connection had no transaction left to end
        }
      }
    }
  }

  private static <R> R onPostgres(Handle h, HandleCallback<R, RuntimeException> reads) {
    return h.inTransaction(
        tx -> {
          tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          return reads.withHandle(tx);
        });
  }

  private boolean isSqlite(Handle h) {
    Boolean known = sqlite;
    if (known == null) {
      try {
        known = h.getConnection().getMetaData().getURL().startsWith("jdbc:sqlite:");
      } catch (SQLException e) {
        throw new IllegalStateException("cannot tell which database this is", e);
      }
      sqlite = known;
    }
    return known;
  }
}
