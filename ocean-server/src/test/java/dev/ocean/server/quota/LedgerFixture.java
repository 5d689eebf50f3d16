package dev.ocean.server.quota;

import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.catalog.CatalogUse;
import dev.ocean.server.catalog.MachineTypeService;
import dev.ocean.server.store.Database;
import dev.ocean.server.user.PasswordHasher;
import dev.ocean.server.user.Principal;
import dev.ocean.server.user.UserService;
import dev.ocean.server.user.UserService.SignupMode;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The real quota services over one test database, with an admin who creates machine types and
 * grants quota (for seven days), so a test goes straight to the ledger.
 */
final class LedgerFixture {
  final Jdbi jdbi;
  final QuotaLedger ledger;
  private final UserService users;
  private final MachineTypeService machineTypes;
  private final QuotaService quotas;
  private final Principal admin;

  LedgerFixture(Database db) {
    this.jdbi = db.jdbi();
    Clock clock = Clock.systemUTC();
    var audit = new AuditLog(jdbi, clock);
    this.users = new UserService(jdbi, clock, new PasswordHasher(4), audit, SignupMode.OPEN);
    this.machineTypes = new MachineTypeService(jdbi, clock, audit, new CatalogUse());
    this.ledger = new QuotaLedger(clock);
    this.quotas = new QuotaService(jdbi, clock, audit, machineTypes, ledger);
    users.ensureAdmin("admin@example.com", "Admin-pass1!");
    this.admin =
        new Principal(
            users.findByEmail("admin@example.com").orElseThrow().id(),
            "admin@example.com",
            true,
            0,
            null);
  }

  /** Signs a user up; returns their id. */
  long user(String email, String password) {
    return users.signup(email, password).id();
  }

  /** A machine type of 4 CPUs, 32 GiB and {@code gpus} GPUs. */
  void machineType(String name, int gpus) {
    machineTypes.create(admin, new MachineType.Create(name, 4, 32, gpus, null, null, null));
  }

  void grant(String email, String machineType, int units) {
    quotas.grant(admin, new Quota.Grant(email, machineType, units, 7));
  }
}
