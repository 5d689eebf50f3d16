package dev.ocean.server.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.server.error.QuotaExceeded;
import dev.ocean.server.store.Database;
import dev.ocean.server.store.TestStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The spec's promise: 100 concurrent submissions against a quota of 2 admit exactly 2. */
class QuotaAdmissionConcurrencyTest {
  private static final int THREADS = 100;
  private static final int QUOTA = 2;

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void hundredConcurrentAdmissionsAgainstAQuotaOfTwoAdmitExactlyTwo(
      TestStorage storage, @TempDir Path dir) throws Exception {
    try (Database db = storage.open(dir, "quota_race")) {
      var fx = new LedgerFixture(db);
      Jdbi jdbi = fx.jdbi;
      var ledger = fx.ledger;
      long userId = fx.user("racer@example.com", "Racer-pass1!");
      fx.machineType("g1.small", 1);
      fx.grant("racer@example.com", "g1.small", QUOTA);

      AtomicInteger admitted = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
      CountDownLatch ready = new CountDownLatch(THREADS);
      CountDownLatch go = new CountDownLatch(1);
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < THREADS; i++) {
          String ref = "job-" + i;
          pool.submit(
              () -> {
                ready.countDown();
                try {
                  go.await();
                  jdbi.inTransaction(
                      h -> {
                        ledger.admit(h, userId, "g1.small", 1, "job", ref);
                        return null;
                      });
                  admitted.incrementAndGet();
                } catch (QuotaExceeded e) {
                  refused.incrementAndGet();
                } catch (Throwable e) {
                  unexpected.add(e);
                }
              });
        }
        assertTrue(ready.await(30, TimeUnit.SECONDS), "all threads ready");
        go.countDown();
      }

      assertEquals(List.of(), List.copyOf(unexpected), "no failures other than quota exceeded");
      assertEquals(QUOTA, admitted.get(), "admitted");
      assertEquals(THREADS - QUOTA, refused.get(), "refused with quota exceeded");
      int rows =
          jdbi.withHandle(
              h -> h.createQuery("SELECT COUNT(*) FROM allocations").mapTo(Integer.class).one());
      assertEquals(QUOTA, rows, "allocation rows");
    }
  }
}
