package dev.ocean.server.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Admission reads what a user holds from a kept total, not by summing every allocation: the total
 * follows each admission, shrink and release, so what a user may still submit is exactly what the
 * allocations leave free.
 */
class QuotaTotalsTest {
  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void heldUnitsFollowAdmissionsShrinksAndReleases(TestStorage storage, @TempDir Path dir) {
    try (Database db = storage.open(dir, "quota_totals")) {
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
      long ann = users.signup("ann@example.com", "Ann-pass1!").id();
      long bob = users.signup("bob@example.com", "Bob-pass1!").id();
      machineTypes.create(admin, new MachineType.Create("g1", 4, 32, 1, null, null, null));
      machineTypes.create(admin, new MachineType.Create("g2", 4, 32, 2, null, null, null));
      quotas.grant(admin, new Quota.Grant("ann@example.com", "g1", 10, 7));
      quotas.grant(admin, new Quota.Grant("ann@example.com", "g2", 10, 7));
      quotas.grant(admin, new Quota.Grant("bob@example.com", "g1", 10, 7));

      jdbi.useTransaction(
          h -> {
            ledger.admit(h, ann, "g1", 4, "job", "1");
            ledger.admit(h, ann, "g1", 3, "job", "2");
            ledger.admit(h, ann, "g2", 5, "job", "3");
            ledger.admit(h, bob, "g1", 6, "job", "4");
          });
      assertHeld(jdbi, ledger, ann, "g1", 7);
      assertHeld(jdbi, ledger, ann, "g2", 5);
      assertHeld(jdbi, ledger, bob, "g1", 6);
      // 7 of 10 held: 4 more do not fit
      assertThrows(
          QuotaExceeded.class,
          () -> jdbi.useTransaction(h -> ledger.admit(h, ann, "g1", 4, "job", "5")));
      assertHeld(jdbi, ledger, ann, "g1", 7);

      jdbi.useTransaction(
          h -> {
            ledger.shrink(h, "job", "1", 2); // 4 -> 2
            ledger.shrink(h, "job", "2", 5); // never grows
            ledger.shrink(h, "job", "9", 1); // no such allocation
            ledger.release(h, "job", "9");
          });
      assertHeld(jdbi, ledger, ann, "g1", 5);
      jdbi.useTransaction(h -> ledger.admit(h, ann, "g1", 4, "job", "5")); // now 9 of 10
      assertHeld(jdbi, ledger, ann, "g1", 9);

      jdbi.useTransaction(
          h -> {
            ledger.release(h, "job", "1");
            ledger.shrink(h, "job", "2", 0); // a shrink to nothing releases
            ledger.release(h, "job", "3");
          });
      assertHeld(jdbi, ledger, ann, "g1", 4);
      assertHeld(jdbi, ledger, ann, "g2", 0);
      assertHeld(jdbi, ledger, bob, "g1", 6);
    }
  }

  /** The kept total and the sum of the user's allocations agree. */
  private static void assertHeld(
      Jdbi jdbi, QuotaLedger ledger, long userId, String machineType, int expected) {
    int summed =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT COALESCE(SUM(units), 0) FROM allocations WHERE user_id = ? AND"
                            + " machine_type = ?")
                    .bind(0, userId)
                    .bind(1, machineType)
                    .mapTo(Integer.class)
                    .one());
    assertEquals(expected, summed, "allocations of " + machineType);
    int held = jdbi.withHandle(h -> ledger.inUse(h, userId, machineType));
    assertEquals(expected, held, "held " + machineType);
  }
}
