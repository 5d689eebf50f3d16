package dev.ocean.server.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.server.error.QuotaExceeded;
import dev.ocean.server.store.Database;
import dev.ocean.server.store.TestStorage;
import java.nio.file.Path;
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
      var fx = new LedgerFixture(db);
      Jdbi jdbi = fx.jdbi;
      var ledger = fx.ledger;
      long ann = fx.user("ann@example.com", "Ann-pass1!");
      long bob = fx.user("bob@example.com", "Bob-pass1!");
      fx.machineType("g1", 1);
      fx.machineType("g2", 2);
      fx.grant("ann@example.com", "g1", 10);
      fx.grant("ann@example.com", "g2", 10);
      fx.grant("bob@example.com", "g1", 10);

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
