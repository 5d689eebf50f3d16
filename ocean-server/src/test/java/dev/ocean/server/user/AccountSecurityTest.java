package dev.ocean.server.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.ApiToken;
import dev.ocean.common.api.PasswordReset;
import dev.ocean.common.api.Session;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.DomainException;
import dev.ocean.server.http.ErrorMapper;
import dev.ocean.server.store.Database;
import dev.ocean.server.store.MovableClock;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.user.UserService.SignupMode;
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
 * API token lifetimes, token listing and revocation, password changes and resets, long passwords.
 */
@ParameterizedClass
@EnumSource(TestStorage.class)
class AccountSecurityTest {
  private static final String PASSWORD = "Secret-pass1!";
  private static final String HERE = "127.0.0.1";

  private final TestStorage storage;
  @TempDir Path dir;
  private final MovableClock clock = new MovableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private Database db;
  private AuditLog audit;
  private UserService users;
  private Principal admin;

  AccountSecurityTest(TestStorage storage) {
    this.storage = storage;
  }

  @BeforeEach
  void open(TestInfo test) {
    db = storage.open(dir, test.getTestMethod().orElseThrow().getName());
    audit = new AuditLog(db.jdbi(), clock);
    users =
        new UserService(
            db.jdbi(),
            clock,
            new PasswordHasher(4),
            audit,
            SignupMode.OPEN,
            new UserService.Policy(Duration.ofDays(30), 100));
    users.ensureAdmin("admin@example.com", PASSWORD);
    admin = principal(users.login("admin@example.com", PASSWORD, HERE));
    users.signup("ada@example.com", PASSWORD);
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  private Principal principal(Session s) {
    return users.authenticate(s.token()).orElseThrow();
  }

  private Long lastUsedMillis(long tokenId) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT last_used_at FROM api_tokens WHERE id = ?")
                    .bind(0, tokenId)
                    .mapTo(Long.class)
                    .one());
  }

  @Test
  void anUnusedTokenExpiresAndSaysSo() {
    Session s = users.login("ada@example.com", PASSWORD, HERE);
    clock.advance(Duration.ofDays(30));
    DomainException e = assertThrows(DomainException.class, () -> users.authenticate(s.token()));
    assertEquals(401, ErrorMapper.status(e));
    assertTrue(e.getMessage().contains("token expired, run `ocean login`"), e.getMessage());
  }

  @Test
  void usingATokenRenewsItsLifetime() {
    Session s = users.login("ada@example.com", PASSWORD, HERE);
    for (int week = 0; week < 8; week++) {
      clock.advance(Duration.ofDays(7));
      assertEquals("ada@example.com", users.authenticate(s.token()).orElseThrow().email());
    }
    clock.advance(Duration.ofDays(29));
    Principal p = principal(s);
    ApiToken listed = users.tokens().list(p).getFirst();
    assertEquals(clock.instant().plus(Duration.ofDays(30)), listed.expiresAt());
  }

  @Test
  void lastUseIsWrittenAtMostOnceAMinute() {
    Session s = users.login("ada@example.com", PASSWORD, HERE);
    long id = principal(s).tokenId();
    long first = lastUsedMillis(id);
    clock.advance(Duration.ofSeconds(30));
    principal(s);
    assertEquals(first, lastUsedMillis(id));
    clock.advance(Duration.ofSeconds(31));
    principal(s);
    assertEquals(clock.millis(), lastUsedMillis(id));
  }

  @Test
  void usersListAndRevokeOnlyTheirOwnTokens() {
    Principal one = principal(users.login("ada@example.com", PASSWORD, HERE));
    Principal two = principal(users.login("ada@example.com", PASSWORD, HERE));
    List<ApiToken> listed = users.tokens().list(two);
    assertEquals(List.of(one.tokenId(), two.tokenId()), listed.stream().map(ApiToken::id).toList());
    assertEquals(List.of(false, true), listed.stream().map(ApiToken::current).toList());
    assertNotNull(listed.getFirst().createdAt());

    DomainException foreign =
        assertThrows(DomainException.class, () -> users.tokens().revoke(one, admin.tokenId()));
    assertEquals(404, ErrorMapper.status(foreign));
    assertTrue(users.tokens().list(admin).stream().anyMatch(ApiToken::current));

    users.tokens().revoke(two, one.tokenId());
    assertEquals(
        List.of(two.tokenId()), users.tokens().list(two).stream().map(ApiToken::id).toList());
    assertEquals(
        404,
        ErrorMapper.status(
            assertThrows(DomainException.class, () -> users.tokens().revoke(two, one.tokenId()))));
  }

  @Test
  void changingThePasswordEndsTheOtherSessionsOnly() {
    Session laptop = users.login("ada@example.com", PASSWORD, HERE);
    Session desktop = users.login("ada@example.com", PASSWORD, HERE);

    DomainException wrong =
        assertThrows(
            DomainException.class,
            () -> users.passwords().change(principal(desktop), "Not-it-1!", "New-pass-2!", HERE));
    assertEquals(403, ErrorMapper.status(wrong));
    assertEquals("currentPassword", wrong.field());

    users.passwords().change(principal(desktop), PASSWORD, "New-pass-2!", HERE);

    assertTrue(users.authenticate(laptop.token()).isEmpty());
    assertTrue(users.authenticate(desktop.token()).isPresent());
    assertEquals(
        401,
        ErrorMapper.status(
            assertThrows(
                DomainException.class, () -> users.login("ada@example.com", PASSWORD, HERE))));
    users.login("ada@example.com", "New-pass-2!", HERE);
  }

  @Test
  void anAdminResetEndsEverySessionAndIsAudited() {
    Session s = users.login("ada@example.com", PASSWORD, HERE);
    PasswordReset generated = users.passwords().reset(admin, "ADA@example.com", null);
    assertEquals("ada@example.com", generated.email());
    assertTrue(users.authenticate(s.token()).isEmpty());
    users.login("ada@example.com", generated.password(), HERE);

    PasswordReset chosen = users.passwords().reset(admin, "ada@example.com", "Chosen-pw-3!");
    assertNull(chosen.password());
    users.login("ada@example.com", "Chosen-pw-3!", HERE);
    assertEquals(
        400,
        ErrorMapper.status(
            assertThrows(
                DomainException.class,
                () -> users.passwords().reset(admin, "ada@example.com", "weak"))));
    assertEquals(
        404,
        ErrorMapper.status(
            assertThrows(
                DomainException.class,
                () -> users.passwords().reset(admin, "nobody@example.com", null))));
    assertEquals(
        2,
        audit.recent(50).stream()
            .filter(a -> a.action().equals("user.password-reset"))
            .filter(a -> a.actor().equals("admin@example.com"))
            .count());
  }

  @Test
  void passphrasesLongerThanBcryptsLimitWorkInFull() {
    String prefix = "Tr0ub4dor&3-" + "correct horse battery staple ".repeat(3);
    String passphrase = prefix + "ünïcödé tail";
    assertTrue(passphrase.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72);
    users.signup("long@example.com", passphrase, HERE);

    users.login("long@example.com", passphrase, HERE);
    // bcrypt alone would stop reading after 72 bytes and let this in
    DomainException e =
        assertThrows(
            DomainException.class,
            () -> users.login("long@example.com", prefix + "other tail", HERE));
    assertEquals(401, ErrorMapper.status(e));
  }

  @Test
  void aLongPasswordAgainstAnOldPlainBcryptHashIsJustWrong() {
    String legacy =
        at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate("UPDATE users SET password_hash = ? WHERE email = 'ada@example.com'")
                    .bind(0, legacy)
                    .execute());
    users.login("ada@example.com", PASSWORD, HERE);
    DomainException e =
        assertThrows(
            DomainException.class,
            () -> users.login("ada@example.com", "A1!" + "x".repeat(150), HERE));
    assertEquals(401, ErrorMapper.status(e));
    assertFalse(new PasswordHasher(4).verify("é".repeat(40), legacy));
  }
}
