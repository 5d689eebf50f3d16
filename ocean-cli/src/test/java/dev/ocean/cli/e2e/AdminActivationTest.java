package dev.ocean.cli.e2e;

import static dev.ocean.cli.e2e.TestCluster.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.User;
import dev.ocean.server.user.UserService.SignupMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accounts that wait for an admin, and what admins may do to accounts. */
class AdminActivationTest {
  @TempDir java.nio.file.Path dir;
  TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir, SignupMode.ADMIN_ACTIVATION);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private Run login(String email) {
    return cluster
        .as(email)
        .withStdin(PASSWORD + "\n", "login", "--email", email, "--password-stdin");
  }

  @Test
  void newAccountCannotLogInUntilAnAdminActivatesIt() {
    Run signup =
        cluster
            .as("bob@example.com")
            .withStdin(PASSWORD + "\n", "signup", "--email", "bob@example.com", "--password-stdin")
            .ok();
    assertTrue(signup.err().contains("admin must activate"), signup.toString());

    assertTrue(login("bob@example.com").failsWithOneLine(4).contains("activate"));

    User bob =
        cluster
            .admin()
            .ocean("admin", "user", "activate", "bob@example.com", "-o", "json")
            .json(User.class);
    assertEquals("active", bob.status());
    login("bob@example.com").ok();
    cluster.as("bob@example.com").ocean("whoami").ok();
  }

  @Test
  void disablingAnAccountRevokesItsTokens() {
    cluster
        .as("bob@example.com")
        .withStdin(PASSWORD + "\n", "signup", "--email", "bob@example.com", "--password-stdin")
        .ok();
    cluster.admin().ocean("admin", "user", "activate", "bob@example.com").ok();
    Ocean bob = cluster.login("bob@example.com");
    bob.ocean("whoami").ok();

    cluster.admin().ocean("admin", "user", "disable", "bob@example.com").ok();

    bob.ocean("whoami").failsWithOneLine(4);
    assertTrue(login("bob@example.com").failsWithOneLine(4).contains("disabled"));
  }

  @Test
  void actionsOnAnUnknownAccountAreNotFound() {
    String why =
        cluster.admin().ocean("admin", "user", "activate", "ghost@example.com").failsWithOneLine(3);
    assertTrue(why.contains("ghost@example.com"), why);
  }

  @Test
  void theLastAdminCannotBeDemoted() {
    Ocean admin = cluster.admin();
    String why = admin.ocean("admin", "user", "demote", TestCluster.ADMIN).failsWithOneLine(5);
    assertTrue(why.contains("last active admin"), why);
    admin.ocean("admin", "user", "disable", TestCluster.ADMIN).failsWithOneLine(5);
    assertEquals("admin", admin.ocean("whoami", "-o", "json").json(User.class).role());
  }

  @Test
  void anAdminCanBeDemotedOnceThereIsAnother() {
    cluster
        .as("eve@example.com")
        .withStdin(PASSWORD + "\n", "signup", "--email", "eve@example.com", "--password-stdin")
        .ok();
    Ocean admin = cluster.admin();
    admin.ocean("admin", "user", "activate", "eve@example.com").ok();
    admin.ocean("admin", "user", "promote", "eve@example.com").ok();

    admin.ocean("admin", "user", "demote", TestCluster.ADMIN).ok();

    admin.ocean("admin", "user", "list").failsWithOneLine(4);
    Ocean eve = cluster.login("eve@example.com");
    assertTrue(eve.ocean("admin", "user", "list").ok().out().contains(TestCluster.ADMIN));
    eve.ocean("admin", "user", "demote", "eve@example.com").failsWithOneLine(5);
  }
}
