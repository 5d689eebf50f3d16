package dev.ocean.server.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.catalog.MachineTypeService;
import dev.ocean.server.error.QuotaExceeded;
import dev.ocean.server.store.Database;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.user.PasswordHasher;
import dev.ocean.server.user.Principal;
import dev.ocean.server.user.UserService;
import dev.ocean.server.user.UserService.SignupMode;
import java.nio.file.Path;
import java.time.Clock;
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
      Jdbi jdbi = db.jdbi();
      Clock clock = Clock.systemUTC();
      var audit = new AuditLog(jdbi, clock);
      var users = new UserService(jdbi, clock, new PasswordHasher(4), audit, SignupMode.OPEN);
      var machineTypes =
          new MachineTypeService(jdbi, clock, audit, new dev.ocean.server.catalog.CatalogUse());
      var ledger = new QuotaLedger(clock);
      var quotas = new QuotaService(jdbi, clock, audit, machineTypes, ledger);
      users.ensureAdmin("admin@example.com", "Admin-pass1!");
      var admin =
          new Principal(
              users.findByEmail("admin@example.com").orElseThrow().id(),
              "admin@example.com",
              true,
              0,
              null);
      long userId = users.signup("racer@example.com", "Racer-pass1!").id();
      machineTypes.create(admin, new MachineType.Create("g1.small", 4, 32, 1, null, null, null));
      quotas.grant(admin, new Quota.Grant("racer@example.com", "g1.small", QUOTA, 7));

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
