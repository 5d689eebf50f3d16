package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.server.store.Database;
import dev.ocean.server.store.TestStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A list reads its statements in one snapshot ({@link ReadSnapshot}): a write that commits between
 * two of them is seen by neither, and the writer is not held up by the reader (on SQLite, every
 * write transaction takes the write lock up front, which a read must not take).
 */
class ReadSnapshotTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aWriteCommittedBetweenTwoReadsIsSeenByNeitherAndIsNotHeldUp(TestStorage storage)
      throws Exception {
    try (Database db = storage.open(dir, "snapshot")) {
      var snapshots = new ReadSnapshot(db.jdbi());

      List<Long> seen =
          snapshots.read(
              h -> {
                long before = version(h);
                // another request's write, on another thread and connection, while the read is on
                writeElsewhere(db);
                return List.of(before, version(h));
              });

      assertEquals(seen.get(0), seen.get(1), "both reads are of one moment");
      assertEquals(seen.get(0) + 1, db.jdbi().withHandle(ReadSnapshotTest::version));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aFailedReadLeavesNoTransactionOnThePooledConnection(TestStorage storage) throws Exception {
    try (Database db = storage.open(dir, "snapshot-fail")) {
      var snapshots = new ReadSnapshot(db.jdbi());
      for (int i = 0; i < 20; i++) { // more than the pool's connections
        try {
          snapshots.read(
              h -> {
                version(h);
                throw new IllegalStateException("the read failed");
              });
        } catch (IllegalStateException expected) {
          // as thrown
        }
      }

      db.jdbi().useTransaction(w -> w.execute("UPDATE node_changes SET version = 7 WHERE id = 1"));
      assertEquals(7L, snapshots.read(ReadSnapshotTest::version));
    }
  }

  /** Another request's write, on another thread and connection, within 20 s. */
  private static void writeElsewhere(Database db) {
    try {
      CompletableFuture.runAsync(
              () ->
                  db.jdbi()
                      .useTransaction(
                          w ->
                              w.execute(
                                  "UPDATE node_changes SET version = version + 1 WHERE id = 1")))
          .get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the write was held up by the read", e);
    }
  }

  private static long version(Handle h) {
    return h.createQuery("SELECT version FROM node_changes WHERE id = 1").mapTo(Long.class).one();
  }
}
