package dev.ocean.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many request threads writing to SQLite at once all succeed: they queue for the one write lock in
 * the server instead of polling SQLite for it, so none gives up with "database is locked" however
 * long the others hold it.
 */
class ConcurrentWritersTest {
  @TempDir Path dir;

  @Test
  void concurrentWriteTransactionsNeverFailWithDatabaseLocked() throws Exception {
    // SQLite's own wait for the lock is cut to 20 ms; each transaction holds it longer than that.
    try (Database db = Database.open(Database.sqliteUrl(dir), 20)) {
      db.jdbi().useHandle(h -> h.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)"));
      var failures = new ConcurrentLinkedQueue<Throwable>();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        writers.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = 0; i < 5; i++) {
                        try {
                          db.jdbi()
                              .useTransaction(
                                  h -> {
                                    h.execute("INSERT INTO t (v) VALUES (1)");
                                    holdTheLockAWhile(h);
                                  });
                        } catch (RuntimeException e) {
                          failures.add(e);
                        }
                      }
                    }));
      }
      for (Thread t : writers) {
        t.join();
      }

      assertEquals(List.of(), List.copyOf(failures));
      int rows =
          db.jdbi()
              .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM t").mapTo(Integer.class).one());
      assertEquals(40, rows);
    }
  }

  /** Work inside the transaction that takes well over 20 ms: a long recursive count. */
  private static void holdTheLockAWhile(org.jdbi.v3.core.Handle h) {
    h.createQuery(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)"
                + " SELECT COUNT(*) FROM c")
        .mapTo(Integer.class)
        .one();
  }
}
