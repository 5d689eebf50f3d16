package dev.ocean.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.server.error.Invalid;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Work queued while the writer is busy commits as one batch; each caller still gets its own result
 * or its own failure, and a failed piece leaves nothing behind nor takes the others down.
 */
class GroupCommitTest {
  private static final int WRITERS = 40;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aBatchAnswersEachCallerAndAFailedPieceFailsAlone(TestStorage storage) throws Exception {
    try (Database db = storage.open(dir, "group_commit")) {
      GroupCommit writes = db.writes();
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Map<Integer, Object> answers = new ConcurrentHashMap<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        // the first piece holds the writer, so all the others queue up and share the next batch
        pool.submit(
            () ->
                writes.write(
                    h -> {
                      holding.countDown();
                      release.await();
                      return insert(h, "first");
                    }));
        assertTrue(holding.await(30, TimeUnit.SECONDS), "the writer runs the first piece");
        for (int i = 0; i < WRITERS; i++) {
          int k = i;
          pool.submit(
              () -> {
                try {
                  answers.put(k, writes.write(h -> work(h, k)));
                } catch (RuntimeException e) {
                  answers.put(k, e);
                }
              });
        }
        try {
          waitUntil(() -> writes.queued() == WRITERS);
        } finally {
          release.countDown();
        }
      }

      assertInstanceOf(Invalid.class, answers.get(7), "the piece that refused gets its refusal");
      assertInstanceOf(RuntimeException.class, answers.get(13), "the failed statement's piece");
      List<Long> ids =
          answers.entrySet().stream()
              .filter(e -> e.getKey() != 7 && e.getKey() != 13)
              .map(e -> (Long) e.getValue())
              .toList();
      assertEquals(WRITERS - 2, ids.stream().distinct().count(), "each caller its own row");
      Map<Long, String> stored =
          db
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT id, detail FROM audit_log WHERE action = 'test'")
                          .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("detail")))
                          .list())
              .stream()
              .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      assertEquals(WRITERS - 2 + 1, stored.size(), "nothing of the failed pieces is kept");
      for (var e : answers.entrySet()) {
        if (e.getValue() instanceof Long id) {
          assertEquals("w" + e.getKey(), stored.get(id), "the id answered is the caller's row");
        }
      }
    }
  }

  /** Piece 7 writes, then refuses; piece 13 fails in SQL (a NOT NULL column left null). */
  private static long work(Handle h, int k) {
    long id = insert(h, "w" + k);
    if (k == 7) {
      throw new Invalid("name", "piece 7 refuses after writing");
    }
    if (k == 13) {
      h.createUpdate("INSERT INTO audit_log (at, actor, action) VALUES (1, NULL, 'test')")
          .execute();
    }
    return id;
  }

  private static long insert(Handle h, String detail) {
    return h.createUpdate(
            "INSERT INTO audit_log (at, actor, action, resource, detail) VALUES (1, 'me', 'test',"
                + " 'x', ?)")
        .bind(0, detail)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  private static void waitUntil(java.util.function.BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(5);
    }
  }
}
