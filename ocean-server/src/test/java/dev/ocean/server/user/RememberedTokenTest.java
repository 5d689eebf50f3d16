package dev.ocean.server.user;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.store.Database;
import dev.ocean.server.store.MovableClock;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.user.UserService.SignupMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A token's lookup is remembered for a second, yet a revocation, a disabled account or a demotion
 * made through this server applies to the very next request; a change made behind its back (another
 * server on the same database) applies within the second.
 */
class RememberedTokenTest {
  private static final String PASSWORD = "Sea-Water-42!";

  @TempDir Path dir;
  private final MovableClock clock = new MovableClock(Instant.parse("2030-01-01T00:00:00Z"));

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void changesThroughThisServerApplyAtOnceAndOthersWithinASecond(TestStorage storage) {
    try (Database db = storage.open(dir, "remembered_tokens")) {
      UserService users =
          new UserService(
              db.jdbi(),
              clock,
              new PasswordHasher(4),
              new AuditLog(db.jdbi(), clock),
              SignupMode.OPEN,
              new UserService.Policy(Duration.ofDays(30), 100));
      users.ensureAdmin("admin@example.com", PASSWORD);
      users.signup("ada@example.com", PASSWORD);
      Principal admin =
          users.authenticate(users.login("admin@example.com", PASSWORD, "h").token()).orElseThrow();

      String one = users.login("ada@example.com", PASSWORD, "h").token();
      String two = users.login("ada@example.com", PASSWORD, "h").token();
      Principal ada = users.authenticate(one).orElseThrow();
      users.authenticate(two).orElseThrow(); // both now remembered
      users.tokens().revoke(ada, users.authenticate(two).orElseThrow().tokenId());
      assertTrue(users.authenticate(two).isEmpty(), "a revoked token stops at once");

      users.change(admin, "ada@example.com", "promote");
      assertTrue(users.authenticate(one).orElseThrow().admin(), "a promotion applies at once");
      users.change(admin, "ada@example.com", "demote");
      assertFalse(users.authenticate(one).orElseThrow().admin(), "a demotion applies at once");
      users.change(admin, "ada@example.com", "disable");
      assertTrue(users.authenticate(one).isEmpty(), "a disabled account's token stops at once");

      String three = users.login("admin@example.com", PASSWORD, "h").token();
      users.authenticate(three).orElseThrow();
      db.jdbi() // as another server sharing the database would
          .useHandle(
              h ->
                  h.createUpdate("UPDATE api_tokens SET revoked_at = 1 WHERE token_hash = ?")
                      .bind(0, Tokens.hash(three))
                      .execute());
      clock.advance(Duration.ofMillis(ApiTokens.REMEMBER_MILLIS));
      assertTrue(users.authenticate(three).isEmpty(), "revoked elsewhere: stops within a second");
    }
  }
}
