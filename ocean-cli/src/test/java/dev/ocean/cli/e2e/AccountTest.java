package dev.ocean.cli.e2e;

import static dev.ocean.cli.e2e.TestCluster.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signup, login, whoami and logout through the CLI against a real server. */
class AccountTest {
  @TempDir java.nio.file.Path dir;
  TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private Run signup(String email, String password) {
    return cluster
        .as(email)
        .withStdin(password + "\n", "signup", "--email", email, "--password-stdin");
  }

  @Test
  void weakPasswordsAreRefusedWithTheRuleTheyBreak() {
    assertTrue(signup("ada@example.com", "Sh0rt!").failsWithOneLine(2).contains("8 characters"));
    assertTrue(
        signup("ada@example.com", "lower-case-1").failsWithOneLine(2).contains("upper-case"));
    assertTrue(signup("ada@example.com", "No-Digits-Here").failsWithOneLine(2).contains("digit"));
    assertTrue(signup("ada@example.com", "NoSpecial123").failsWithOneLine(2).contains("special"));
    // none of them created the account
    signup("ada@example.com", PASSWORD).ok();
  }

  @Test
  void emailIsUniqueWhateverItsCase() {
    signup("Ada@Example.com", PASSWORD).ok();
    String why = signup("ada@EXAMPLE.COM", PASSWORD).failsWithOneLine(5);
    assertTrue(why.contains("already exists"), why);
  }

  @Test
  void loginSavesTheTokenInAPrivateConfigFileAndWhoamiShowsTheEmail() throws Exception {
    signup("ada@example.com", PASSWORD).ok();
    // log in like a fresh shell would: the server from the flag, nothing in the environment
    Ocean ada = cluster.as("ada@example.com").env("OCEAN_SERVER", null);
    ada.withStdin(
            PASSWORD + "\n",
            "login",
            "--server",
            cluster.url(),
            "--email",
            "ada@example.com",
            "--password-stdin")
        .ok();

    assertTrue(Files.exists(ada.configFile()));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(ada.configFile())));
    assertTrue(ada.ocean("whoami").ok().out().contains("ada@example.com"));
    assertEquals("ada@example.com", ada.ocean("whoami", "-q").out().strip());
  }

  @Test
  void wrongPasswordIsRefusedAndSavesNothing() {
    signup("ada@example.com", PASSWORD).ok();
    Ocean ada = cluster.as("ada@example.com");
    String why =
        ada.withStdin("Wr0ng-Pass!\n", "login", "--email", "ada@example.com", "--password-stdin")
            .failsWithOneLine(4);
    assertTrue(why.contains("wrong email or password"), why);
    assertNull(ada.token());
    ada.ocean("whoami").fails(4);
  }

  @Test
  void logoutForgetsTheTokenAndTheServerRevokesIt() {
    Ocean ada = cluster.user("ada@example.com");
    String token = ada.token();
    assertNotNull(token);

    ada.ocean("logout").ok();

    assertNull(ada.token());
    assertTrue(ada.ocean("whoami").fails(4).contains("not logged in"));
    // the old token no longer works either, even when given explicitly
    ada.ocean("whoami", "--token", token).failsWithOneLine(4);
  }

  @Test
  void manyWrongPasswordsAreThrottledUntilTimePasses() {
    signup("ada@example.com", PASSWORD).ok();
    Ocean ada = cluster.as("ada@example.com");
    Run last = null;
    for (int i = 0; i < 8; i++) {
      last =
          ada.withStdin("Wr0ng-Pass!\n", "login", "--email", "ada@example.com", "--password-stdin");
      if (last.err().contains("too many failed logins")) {
        break;
      }
      last.fails(4);
    }
    // a throttled login is refused like a wrong password: exit 4
    assertTrue(last.fails(4).contains("too many failed logins"), last.toString());
    // even the right password must wait now, from the address that guessed
    assertTrue(
        ada.withStdin(PASSWORD + "\n", "login", "--email", "ada@example.com", "--password-stdin")
            .fails(4)
            .contains("too many failed logins"));

    cluster.clock.advance(Duration.ofMinutes(31));
    ada.withStdin(PASSWORD + "\n", "login", "--email", "ada@example.com", "--password-stdin").ok();
  }
}
