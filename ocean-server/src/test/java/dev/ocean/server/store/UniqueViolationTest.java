package dev.ocean.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.DomainException;
import dev.ocean.server.http.ErrorMapper;
import dev.ocean.server.user.PasswordHasher;
import dev.ocean.server.user.UserService;
import dev.ocean.server.user.UserService.SignupMode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Duplicates that slip past a service's check-then-insert (possible on PostgreSQL under READ
 * COMMITTED) must still be a 409 naming the field, never a 500.
 */
@ParameterizedClass
@EnumSource(TestStorage.class)
class UniqueViolationTest {
  private static final String PASSWORD = "Secret-pass1!";

  private final TestStorage storage;
  @TempDir Path dir;
  private Database db;
  private UserService users;

  UniqueViolationTest(TestStorage storage) {
    this.storage = storage;
  }

  @BeforeEach
  void open(TestInfo test) {
    db = storage.open(dir, test.getTestMethod().orElseThrow().getName());
    Clock clock = Clock.systemUTC();
    users =
        new UserService(
            db.jdbi(),
            clock,
            new PasswordHasher(4),
            new AuditLog(db.jdbi(), clock),
            SignupMode.OPEN);
  }

  @AfterEach
  void close() {
    if (db != null) { // null when the database was not available (skipped test)
      db.close();
    }
  }

  @Test
  void concurrentSignupsWithOneEmailCreateOneAccount() throws Exception {
    List<Callable<Integer>> signups = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String email = i % 2 == 0 ? "race@example.com" : "RACE@example.com";
      signups.add(
          () -> {
            try {
              users.signup(email, PASSWORD);
              return 201;
            } catch (DomainException e) {
              return ErrorMapper.status(e);
            }
          });
    }
    List<Integer> statuses = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<Integer> f : pool.invokeAll(signups)) {
        statuses.add(f.get());
      }
    }

    assertEquals(1, Collections.frequency(statuses, 201), statuses.toString());
    assertEquals(15, Collections.frequency(statuses, 409), statuses.toString());
  }

  @Test
  void duplicateKeysAreRecognisedAsUniqueViolations() {
    String insert = "INSERT INTO images (name, reference, created_at) VALUES ('a', 'b', 0)";
    db.jdbi().useHandle(h -> h.execute(insert));

    var e = assertThrows(RuntimeException.class, () -> db.jdbi().useHandle(h -> h.execute(insert)));
    assertTrue(Constraints.isUniqueViolation(e), e.toString());
    var other =
        assertThrows(
            RuntimeException.class,
            () -> db.jdbi().useHandle(h -> h.execute("INSERT INTO images (name) VALUES ('c')")));
    assertFalse(Constraints.isUniqueViolation(other), other.toString());
  }
}
