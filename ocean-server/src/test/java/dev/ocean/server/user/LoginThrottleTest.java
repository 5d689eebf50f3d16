package dev.ocean.server.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.DomainException;
import dev.ocean.server.error.TooManyAttempts;
import dev.ocean.server.http.ErrorMapper;
import dev.ocean.server.store.Database;
import dev.ocean.server.store.MovableClock;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.user.UserService.SignupMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Login and signup throttling against a real database: attackers are slowed down, owners are never
 * locked out, and counters survive a restart.
 */
@ParameterizedClass
@EnumSource(TestStorage.class)
class LoginThrottleTest {
  private static final String PASSWORD = "Secret-pass1!";
  private static final String WRONG = "Wrong-pass1!";
  private static final String ATTACKER = "203.0.113.66";
  private static final String OWNER = "198.51.100.7";

  private final TestStorage storage;
  @TempDir Path dir;
  private final MovableClock clock = new MovableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private Database db;
  private UserService users;

  LoginThrottleTest(TestStorage storage) {
    this.storage = storage;
  }

  @BeforeEach
  void open(TestInfo test) {
    db = storage.open(dir, test.getTestMethod().orElseThrow().getName());
    users = restart();
    users.signup("victim@example.com", PASSWORD);
    users.signup("mallory@example.com", PASSWORD);
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  /** A fresh service on the same database, as after a server restart. */
  private UserService restart() {
    return new UserService(
        db.jdbi(),
        clock,
        new PasswordHasher(4),
        new AuditLog(db.jdbi(), clock),
        SignupMode.OPEN,
        new UserService.Policy(Duration.ofDays(30), 3));
  }

  private int status(String email, String password, String address) {
    try {
      users.login(email, password, address);
      return 200;
    } catch (DomainException e) {
      return ErrorMapper.status(e);
    }
  }

  @Test
  void theOwnerFromACleanAddressGetsInWhileAnAttackerIsThrottled() {
    for (int i = 0; i < LoginThrottle.ACCOUNT_FREE + 5; i++) {
      status("victim@example.com", WRONG, ATTACKER);
    }
    TooManyAttempts slow =
        assertThrows(
            TooManyAttempts.class, () -> users.login("victim@example.com", PASSWORD, ATTACKER));
    assertTrue(
        slow.getMessage().startsWith("too many failed logins; try again in "), slow.getMessage());
    assertTrue(slow.retryAfterSeconds() >= 1);

    assertEquals(200, status("victim@example.com", PASSWORD, OWNER));
  }

  @Test
  void anAccountUnderAttackSlowsDownAddressesThatFailedButNotCleanOnes() {
    // a botnet: many addresses, a few guesses each, the account's failures add up
    for (int bot = 0; bot < LoginThrottle.ACCOUNT_FREE + 2; bot++) {
      assertEquals(401, status("victim@example.com", WRONG, "10.0.0." + bot));
    }
    assertEquals(429, status("victim@example.com", PASSWORD, "10.0.0.1"));
    assertEquals(200, status("victim@example.com", PASSWORD, OWNER));
  }

  @Test
  void loggingInToOneAccountDoesNotClearASprayAgainstOthers() {
    for (int i = 0; i < LoginThrottle.ADDRESS_FREE; i++) {
      status("user" + i + "@example.com", WRONG, ATTACKER);
      // the attacker's own account, logged in between guesses, used to reset the counter
      if (i % 4 == 1) {
        assertEquals(200, status("mallory@example.com", PASSWORD, ATTACKER));
      }
    }
    assertEquals(429, status("someone-else@example.com", WRONG, ATTACKER));
  }

  @Test
  void countersSurviveARestart() {
    for (int i = 0; i < LoginThrottle.PAIR_FREE; i++) {
      assertEquals(401, status("victim@example.com", WRONG, ATTACKER));
    }
    users = restart();
    assertEquals(429, status("victim@example.com", PASSWORD, ATTACKER));

    clock.advance(Duration.ofMinutes(31));
    assertEquals(200, status("victim@example.com", PASSWORD, ATTACKER));
  }

  @Test
  void signupsFromOneAddressAreLimitedPerHour() {
    for (int i = 0; i < 3; i++) {
      users.signup("new" + i + "@example.com", PASSWORD, ATTACKER);
    }
    TooManyAttempts e =
        assertThrows(
            TooManyAttempts.class, () -> users.signup("new9@example.com", PASSWORD, ATTACKER));
    assertTrue(e.getMessage().contains("too many signups"), e.getMessage());
    assertEquals(3600, e.retryAfterSeconds());
    // another address is not affected, and the limit lifts after the hour
    users.signup("other@example.com", PASSWORD, OWNER);
    users = restart();
    clock.advance(Duration.ofMinutes(61));
    users.signup("new9@example.com", PASSWORD, ATTACKER);
  }
}
