package dev.ocean.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Counts a server's runs by state straight from its database, read-only: one cheap query, where
 * reading every job over the API each 100 ms (thousands of runs as JSON) would load the server
 * being measured more than the work it measures.
 */
final class RunCounts implements AutoCloseable {
  private final Connection db;
  private final long waitNanos;

  RunCounts(String jdbcUrl, int waitSeconds) throws SQLException {
    this.waitNanos = waitSeconds * 1_000_000_000L;
    this.db =
        jdbcUrl.startsWith("jdbc:sqlite:")
            ? DriverManager.getConnection(jdbcUrl + "?open_mode=1")
            : DriverManager.getConnection(jdbcUrl);
    db.setReadOnly(true);
  }

  /** Runs by state now, e.g. {@code pending=80000, assigned=20000}. */
  Map<String, Integer> now() {
    Map<String, Integer> counts = new HashMap<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT state, COUNT(*) FROM runs GROUP BY state")) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getInt(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("counting runs: " + e.getMessage(), e);
    }
    return counts;
  }

  /**
   * Waits (up to its wait limit) until {@code count} says at least {@code n}; returns the count.
   */
  int waitFor(ToIntFunction<Map<String, Integer>> count, int n) {
    long deadline = System.nanoTime() + waitNanos;
    while (true) {
      int c = count.applyAsInt(now());
      if (c >= n || System.nanoTime() > deadline) {
        return c;
      }
      SimCluster.sleep(20);
    }
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}
