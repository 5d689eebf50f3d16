package dev.ocean.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.AuditEntry;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.QuotaRequest;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.Volume;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.catalog.ImageService;
import dev.ocean.server.catalog.MachineTypeService;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.DomainException;
import dev.ocean.server.error.QuotaExceeded;
import dev.ocean.server.http.ErrorMapper;
import dev.ocean.server.quota.QuotaLedger;
import dev.ocean.server.quota.QuotaRequestService;
import dev.ocean.server.quota.QuotaService;
import dev.ocean.server.user.PasswordHasher;
import dev.ocean.server.user.Principal;
import dev.ocean.server.user.UserService;
import dev.ocean.server.user.UserService.SignupMode;
import dev.ocean.server.volume.VolumeService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real services against every database Ocean supports: the same behaviour on SQLite and
 * PostgreSQL, so SQL that only one of them accepts fails here.
 */
@ParameterizedClass
@EnumSource(TestStorage.class)
class StorageContractTest {
  private static final String PASSWORD = "Secret-pass1!";

  private final TestStorage storage;
  @TempDir Path dir;
  private final MovableClock clock = new MovableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private Database db;
  private AuditLog audit;
  private UserService users;
  private MachineTypeService machineTypes;
  private ImageService images;
  private QuotaLedger ledger;
  private QuotaService quotas;
  private QuotaRequestService requests;
  private VolumeService volumes;
  private Principal admin;

  StorageContractTest(TestStorage storage) {
    this.storage = storage;
  }

  @BeforeEach
  void open(TestInfo test) {
    db = storage.open(dir, test.getTestMethod().orElseThrow().getName());
    var jdbi = db.jdbi();
    audit = new AuditLog(jdbi, clock);
    users = new UserService(jdbi, clock, new PasswordHasher(4), audit, SignupMode.OPEN);
    machineTypes =
        new MachineTypeService(jdbi, clock, audit, new dev.ocean.server.catalog.CatalogUse());
    images = new ImageService(jdbi, clock, audit, new dev.ocean.server.catalog.CatalogUse());
    ledger = new QuotaLedger(clock);
    quotas = new QuotaService(jdbi, clock, audit, machineTypes, ledger);
    requests = new QuotaRequestService(jdbi, clock, audit, machineTypes, quotas);
    volumes = new VolumeService(jdbi, clock, audit, dir.resolve("storage"));
    users.ensureAdmin("admin@example.com", PASSWORD);
    admin = principal(users.login("admin@example.com", PASSWORD, "127.0.0.1"));
  }

  @AfterEach
  void close() {
    if (db != null) { // null when the database was not available (skipped test)
      db.close();
    }
  }

  @Test
  void migrationsCreateEveryTable() {
    for (String table :
        List.of(
            "users",
            "api_tokens",
            "machine_types",
            "images",
            "quota_requests",
            "quotas",
            "allocations",
            "volumes",
            "volume_claims",
            "audit_log")) {
      int rows =
          db.jdbi()
              .withHandle(
                  h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Integer.class).one());
      assertTrue(rows >= 0, table);
    }
    assertEquals(storage == TestStorage.SQLITE, db.dialect() == Database.Dialect.SQLITE);
  }

  @Test
  void emailIsUniqueIgnoringCase() {
    users.signup("Ann@Example.com", PASSWORD);

    var e = assertThrows(DomainException.class, () -> users.signup("ann@EXAMPLE.com", PASSWORD));
    assertEquals(409, ErrorMapper.status(e));
    assertEquals("email", e.field());
    assertEquals("Ann@Example.com", users.findByEmail("ANN@example.COM").orElseThrow().email());
  }

  @Test
  void loginIssuesATokenThatLogoutRevokes() {
    users.signup("bob@example.com", PASSWORD);
    Session s = users.login("BOB@example.com", PASSWORD, "127.0.0.1");

    Principal p = users.authenticate(s.token()).orElseThrow();
    assertEquals("bob@example.com", p.email());
    assertFalse(p.admin());
    users.logout(p);
    assertTrue(users.authenticate(s.token()).isEmpty());
    assertEquals(
        401,
        ErrorMapper.status(
            assertThrows(DomainException.class, () -> login("bob@example.com", "Wrong-pass1!"))));
  }

  @Test
  void disablingAUserRevokesTheirTokens() {
    users.signup("carl@example.com", PASSWORD);
    Session s = users.login("carl@example.com", PASSWORD, "127.0.0.1");

    assertEquals("disabled", users.change(admin, "carl@example.com", "disable").status());
    assertTrue(users.authenticate(s.token()).isEmpty());
    assertEquals(
        409,
        ErrorMapper.status(
            assertThrows(
                DomainException.class, () -> users.change(admin, "admin@example.com", "demote"))));
  }

  @Test
  void machineTypesAndImagesAreCreatedListedAndRemoved() {
    machineTypes.create(admin, new MachineType.Create("g1.small", 4, 32, 1, "H100", null, null));
    machineTypes.create(admin, new MachineType.Create("c1.tiny", 1, 2, 0, null, null, null));
    images.add(admin, new Image.Create("pytorch", "pytorch/pytorch:2.4.0", "PyTorch", null));

    assertEquals(
        List.of("c1.tiny", "g1.small"),
        machineTypes.list().stream().map(MachineType::name).toList());
    assertEquals("H100", machineTypes.list().get(1).gpuModel());
    assertThrows(
        Conflict.class,
        () ->
            machineTypes.create(
                admin, new MachineType.Create("g1.small", 1, 1, 1, null, null, null)));
    assertEquals("pytorch/pytorch:2.4.0", images.list().getFirst().reference());

    machineTypes.delete(admin, "c1.tiny");
    images.remove(admin, "pytorch");
    assertEquals(List.of("g1.small"), machineTypes.list().stream().map(MachineType::name).toList());
    assertTrue(images.list().isEmpty());
  }

  @Test
  void approvingARequestGrantsAQuotaAndRejectingOneKeepsTheNote() {
    Principal dora = signupAndLogin("dora@example.com");
    machineTypes.create(admin, new MachineType.Create("g1.small", 4, 32, 1, null, null, null));
    QuotaRequest first =
        requests.request(dora, new QuotaRequest.Create("g1.small", 2, 7, "training"));
    QuotaRequest second =
        requests.request(dora, new QuotaRequest.Create("g1.small", 8, 30, "more"));
    QuotaRequest third = requests.request(dora, new QuotaRequest.Create("g1.small", 1, 1, "oops"));

    assertEquals(3, requests.requests(admin, true, false).size());
    QuotaRequest approved = requests.approve(admin, first.id(), null);
    QuotaRequest rejected = requests.reject(admin, second.id(), "too many");
    QuotaRequest cancelled = requests.cancel(dora, third.id());

    assertEquals("approved", approved.state());
    assertEquals("admin@example.com", approved.decidedBy());
    assertEquals("rejected", rejected.state());
    assertEquals("too many", rejected.note());
    assertEquals("cancelled", cancelled.state());
    assertTrue(requests.requests(dora, false, false).isEmpty());
    assertEquals(3, requests.requests(dora, false, true).size());
    List<Quota> granted = quotas.quotas(dora, false, false, null);
    assertEquals(1, granted.size());
    assertEquals(approved.quotaId(), granted.getFirst().id());
    assertEquals(granted, quotas.quotas(admin, true, false, null));
    assertEquals(first.id(), granted.getFirst().requestId());
    assertEquals(clock.instant().plus(Duration.ofDays(7)), granted.getFirst().expiresAt());
    assertThrows(Conflict.class, () -> requests.approve(admin, second.id(), null));
  }

  @Test
  void quotasExpireWhenTheClockPassesTheirEnd() {
    Principal erin = signupAndLogin("erin@example.com");
    machineTypes.create(admin, new MachineType.Create("g1.small", 4, 32, 1, null, null, null));
    quotas.grant(admin, new Quota.Grant("erin@example.com", "g1.small", 2, 1));
    quotas.grant(admin, new Quota.Grant("erin@example.com", "g1.small", 1, 3));
    db.jdbi().useTransaction(h -> ledger.admit(h, erin.userId(), "g1.small", 3, "job", "j1"));
    // each grant shows what it covers: the older grant of 2 is full, the newer one holds the third
    List<Quota> active = quotas.quotas(erin, false, false, null);
    assertEquals(3, active.stream().mapToInt(Quota::inUse).sum());
    assertTrue(active.stream().allMatch(q -> q.inUse() == q.count()), active::toString);

    clock.advance(Duration.ofDays(1).plusSeconds(1));
    assertEquals(1, quotas.expireDue());
    assertEquals(0, quotas.expireDue());

    List<Quota> all = quotas.quotas(erin, false, true, null);
    assertEquals(List.of("expired", "active"), all.stream().map(Quota::state).toList());
    assertEquals(1, quotas.quotas(erin, false, false, null).size());
    int granted = db.jdbi().withHandle(h -> ledger.granted(h, erin.userId(), "g1.small"));
    assertEquals(1, granted);
    assertThrows(
        QuotaExceeded.class,
        () ->
            db.jdbi()
                .useTransaction(h -> ledger.admit(h, erin.userId(), "g1.small", 1, "job", "j2")));
  }

  @Test
  void volumesAreCreatedListedAndDeletedPerUser() {
    Principal fay = signupAndLogin("fay@example.com");
    Principal gus = signupAndLogin("gus@example.com");
    volumes.create(fay, new Volume.Create("data", 10));
    volumes.create(fay, new Volume.Create("code", 1));
    volumes.create(gus, new Volume.Create("data", 5));

    assertEquals(List.of("code", "data"), volumes.list(fay).stream().map(Volume::name).toList());
    assertEquals(5, volumes.list(gus).getFirst().sizeGib());
    assertThrows(Conflict.class, () -> volumes.create(fay, new Volume.Create("data", 1)));
    Path files = dir.resolve("storage").resolve(VolumeService.relativePath(fay.userId(), "data"));
    assertTrue(Files.isDirectory(files));

    db.jdbi()
        .useTransaction(
            h ->
                volumes.claim(
                    h, volumes.requireOwn(h, "volume", fay.userId(), "data"), "job", "7"));
    var busy = assertThrows(Conflict.class, () -> volumes.delete(fay, "data"));
    assertTrue(busy.getMessage().contains("job 7"), busy.getMessage());
    db.jdbi().useTransaction(h -> volumes.unclaim(h, "job", "7"));
    volumes.delete(fay, "data");

    assertEquals(List.of("code"), volumes.list(fay).stream().map(Volume::name).toList());
    assertFalse(Files.exists(files));
    assertEquals(1, volumes.list(gus).size());
  }

  @Test
  void everyChangeIsAudited() {
    Principal hal = signupAndLogin("hal@example.com");
    machineTypes.create(admin, new MachineType.Create("g1.small", 4, 32, 1, null, null, null));
    volumes.create(hal, new Volume.Create("data", 1));

    List<AuditEntry> recent = audit.recent(2);
    assertEquals(
        List.of("volume.create", "machine-type.create"),
        recent.stream().map(AuditEntry::action).toList());
    assertEquals("hal@example.com", recent.getFirst().actor());
    assertEquals("volume/data", recent.getFirst().resource());
    assertEquals(clock.instant(), recent.getFirst().at());
    assertEquals(4, audit.recent(100).size());
  }

  private Principal signupAndLogin(String email) {
    users.signup(email, PASSWORD);
    return principal(login(email, PASSWORD));
  }

  private Session login(String email, String password) {
    return users.login(email, password, "127.0.0.1");
  }

  private Principal principal(Session s) {
    return users.authenticate(s.token()).orElseThrow();
  }
}
