package dev.ocean.server.store;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.CoreStatement;

/**
 * Keeps SQLite's prepared statements between uses, per physical connection: sqlite-jdbc has no
 * statement cache of its own, so without this every JDBI statement is parsed and planned again
 * (PostgreSQL's driver caches server-side statements itself and does not use this).
 *
 * <p>Statements are prepared on the pooled connection's physical SQLite connection, not through
 * Hikari's proxy, because the proxy closes every statement it handed out when the connection goes
 * back to the pool. A statement is lent to one JDBI statement at a time: the same SQL run again
 * while it is still open (a nested query) gets a statement of its own. At most {@link
 * #PER_CONNECTION} statements stay per connection, least recently used closed first; those of a
 * connection the pool retired are dropped the next time the pool opens one.
 */
final class StatementCache implements StatementBuilderFactory {
  static final int PER_CONNECTION = 256;

  private final Map<SQLiteConnection, Cached> byConnection = new IdentityHashMap<>();

  @Override
  public StatementBuilder createStatementBuilder(Connection conn) {
    SQLiteConnection physical;
    try {
      physical = conn.unwrap(SQLiteConnection.class);
    } catch (SQLException e) {
      return new DefaultStatementBuilder();
    }
    synchronized (byConnection) {
      Cached cached = byConnection.get(physical);
      if (cached == null) {
        byConnection.keySet().removeIf(StatementCache::closed);
        cached = new Cached(physical);
        byConnection.put(physical, cached);
      }
      return cached;
    }
  }

  private static boolean closed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /** One physical connection's idle statements by SQL, and those lent out. */
  private static final class Cached extends DefaultStatementBuilder {
    private final SQLiteConnection physical;
    private final Set<Statement> owned = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Statements in use, with the SQL they were prepared from (JDBI closes with its own text). */
    private final Map<Statement, String> lent = new IdentityHashMap<>();

    private final LinkedHashMap<String, PreparedStatement> idle =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() > PER_CONNECTION) {
              drop(eldest.getValue());
              return true;
            }
            return false;
          }
        };

    Cached(SQLiteConnection physical) {
      this.physical = physical;
    }

    @Override
    public synchronized PreparedStatement create(Connection conn, String sql, StatementContext ctx)
        throws SQLException {
      if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) {
        // sqlite-jdbc reads generated keys with a second statement (SELECT last_insert_rowid())
        // that stays open until the insert closes: kept here, it would leave the connection busy
        // (VACUUM INTO, the backup, refuses "SQL statements in progress")
        return super.create(conn, sql, ctx);
      }
      String key = sql;
      PreparedStatement ps = idle.remove(key);
      if (ps == null || ps.isClosed()) {
        if (ps != null) {
          owned.remove(ps);
        }
        // prepared from the physical connection the way JDBI's default builder prepares
        ps = super.create(physical, sql, ctx);
        owned.add(ps);
      }
      lent.put(ps, key);
      return ps;
    }

    @Override
    public synchronized CallableStatement createCall(
        Connection conn, String sql, StatementContext ctx) throws SQLException {
      return super.createCall(conn, sql, ctx);
    }

    @Override
    public synchronized void close(Connection conn, String rendered, Statement stmt)
        throws SQLException {
      String sql = lent.remove(stmt);
      if (sql == null) {
        // not lent (any more): a statement this cache keeps idle is never closed by a late close
        if (!owned.contains(stmt)) {
          super.close(conn, rendered, stmt);
        }
        return;
      }
      if (stmt.isClosed()) {
        return;
      }
      PreparedStatement ps = (PreparedStatement) stmt;
      try {
        // An idle statement is reset, and the "SELECT last_insert_rowid()" sqlite-jdbc keeps open
        // after every INSERT (for generated keys) closed: SQLite counts an un-reset statement as
        // in progress, so the connection would hold its read snapshot, VACUUM INTO (the backup)
        // would refuse and WAL checkpoints would wait behind it.
        if (ps instanceof CoreStatement core) {
          core.pointer.safeRunInt((db, pointer) -> db.reset(pointer));
          ps.getGeneratedKeys().close();
        }
        ps.clearParameters();
        ps.clearBatch();
      } catch (SQLException e) {
        drop(ps);
        return;
      }
      PreparedStatement before = idle.put(sql, ps);
      if (before != null && before != ps) {
        drop(before);
      }
    }

    private void drop(Statement s) {
      owned.remove(s);
      try {
        s.close();
      } catch (SQLException e) {
        // the connection is going away; nothing else to release
      }
    }
  }
}
