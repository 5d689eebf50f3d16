package dev.ocean.cli.e2e;

import static dev.ocean.cli.e2e.TestCluster.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.User;
import dev.ocean.server.user.UserService.SignupMode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean admin user create EMAIL}: an admin makes an account for someone, usable at once even
 * where signups wait for activation (QA F28).
 */
class AdminUserCreateTest {
  @TempDir Path dir;
  TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir, SignupMode.ADMIN_ACTIVATION);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private User user(String email) {
    return cluster
        .admin()
        .ocean("admin", "user", "list", "-o", "json")
        .json(new TypeReference<List<User>>() {})
        .stream()
        .filter(u -> u.email().equals(email))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aGeneratedPasswordIsPrintedOnceAndLogsTheNewAccountIn() {
    Run created = cluster.admin().ocean("admin", "user", "create", "bob@example.com").ok();

    String password = created.out().strip();
    assertEquals(1, created.out().lines().count(), created.out());
    assertTrue(created.err().contains("bob@example.com (user, active)"), created.err());
    assertEquals("active", user("bob@example.com").status());
    cluster
        .as("bob@example.com")
        .withStdin(password + "\n", "login", "--email", "bob@example.com", "--password-stdin")
        .ok();
    assertEquals(
        "bob@example.com", cluster.as("bob@example.com").ocean("whoami", "-q").ok().out().strip());
  }

  @Test
  void anAdminAccountWithAChosenPassword() {
    cluster
        .admin()
        .withStdin(
            PASSWORD + "\n",
            "admin",
            "user",
            "create",
            "eve@example.com",
            "--admin",
            "--password-stdin")
        .ok();

    assertEquals("admin", user("eve@example.com").role());
    cluster.login("eve@example.com");
    cluster.as("eve@example.com").ocean("admin", "user", "list", "-q").ok();
  }

  @Test
  void onlyAdminsMayAndAnEmailIsTakenOnce() {
    cluster.admin().ocean("admin", "user", "create", "bob@example.com").ok();

    String taken = cluster.admin().ocean("admin", "user", "create", "BOB@example.com").fails(5);
    String weak =
        cluster
            .admin()
            .withStdin("short\n", "admin", "user", "create", "c@example.com", "--password-stdin")
            .fails(2);

    assertTrue(taken.contains("already exists"), taken);
    assertTrue(weak.contains("password"), weak);
  }

  @Test
  void aPlainUserIsRefused() {
    cluster
        .admin()
        .withStdin(
            PASSWORD + "\n", "admin", "user", "create", "bob@example.com", "--password-stdin")
        .ok();
    Ocean bob = cluster.login("bob@example.com");

    String refused = bob.ocean("admin", "user", "create", "mallory@example.com").fails(4);

    assertTrue(refused.contains("admin"), refused);
  }
}
