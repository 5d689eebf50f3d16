package dev.ocean.cli.e2e;

import static dev.ocean.cli.e2e.TestCluster.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.ApiToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signup remembering the server, password changes and resets, API token listing, revocation and
 * expiry, throttled logins and long passphrases, through the CLI against a real server.
 */
class PasswordAndTokenTest {
  private static final String NEW_PASSWORD = "Tide-P00l-2!";
  private static final TypeReference<List<ApiToken>> TOKENS = new TypeReference<>() {};

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

  private Run login(Ocean who, String email, String password) {
    return who.withStdin(password + "\n", "login", "--email", email, "--password-stdin");
  }

  @Test
  void signupRemembersTheServerSoLoginNeedsNoFlag() {
    Ocean ada = cluster.as("ada@example.com").env("OCEAN_SERVER", null);
    ada.withStdin(
            PASSWORD + "\n",
            "signup",
            "--server",
            cluster.url(),
            "--email",
            "ada@example.com",
            "--password-stdin")
        .ok();
    login(ada, "ada@example.com", PASSWORD).ok();
    assertTrue(ada.ocean("whoami").ok().out().contains("ada@example.com"));
  }

  @Test
  void passwdChangesThePasswordAndLogsOutTheOtherSessions() {
    Ocean laptop = cluster.user("ada@example.com");
    Ocean desktop = cluster.as("ada-desktop");
    login(desktop, "ada@example.com", PASSWORD).ok();

    String wrong =
        laptop
            .withStdin("Not-Mine-1!\n" + NEW_PASSWORD + "\n", "passwd", "--password-stdin")
            .failsWithOneLine(4);
    assertTrue(wrong.contains("current password"), wrong);
    assertTrue(
        laptop
            .withStdin(PASSWORD + "\n", "passwd", "--password-stdin")
            .failsWithOneLine(2)
            .contains("two lines"));

    Run changed =
        laptop.withStdin(PASSWORD + "\n" + NEW_PASSWORD + "\n", "passwd", "--password-stdin");
    assertTrue(changed.ok().err().contains("other sessions were logged out"), changed.err());

    laptop.ocean("whoami").ok();
    assertTrue(desktop.ocean("whoami").failsWithOneLine(4).contains("ocean login"));
    login(desktop, "ada@example.com", PASSWORD).failsWithOneLine(4);
    login(desktop, "ada@example.com", NEW_PASSWORD).ok();
  }

  @Test
  void adminResetPrintsAPasswordOnceAndLogsTheUserOut() {
    Ocean ada = cluster.user("ada@example.com");
    Ocean admin = cluster.admin();
    Run reset = admin.ocean("admin", "user", "reset-password", "ada@example.com").ok();
    String generated = reset.out().strip();
    assertFalse(generated.isEmpty());
    assertTrue(reset.err().contains("shown only this once"), reset.err());

    assertEquals(4, ada.ocean("whoami").exit());
    login(ada, "ada@example.com", generated).ok();

    admin
        .withStdin(
            NEW_PASSWORD + "\n",
            "admin",
            "user",
            "reset-password",
            "ada@example.com",
            "--password-stdin")
        .ok();
    login(ada, "ada@example.com", NEW_PASSWORD).ok();
    admin.ocean("admin", "user", "reset-password", "nobody@example.com").failsWithOneLine(3);
    assertEquals(4, ada.ocean("admin", "user", "reset-password", "ada@example.com").exit());
    assertTrue(admin.ocean("admin", "audit").ok().out().contains("user.password-reset"));
  }

  @Test
  void loggingInAgainEndsTheTokenItReplaces() {
    Ocean ada = cluster.user("ada@example.com");
    assertEquals(1, ada.ocean("token", "list", "-o", "json").ok().json(TOKENS).size());
    login(ada, "ada@example.com", PASSWORD).ok();
    login(ada, "ada@example.com", PASSWORD).ok();
    List<ApiToken> tokens = ada.ocean("token", "list", "-o", "json").ok().json(TOKENS);
    assertEquals(1, tokens.size(), "only the current login's token is left: " + tokens);
    assertTrue(tokens.getFirst().current());
  }

  @Test
  void tokenListMarksTheCurrentTokenAndRevokeEndsAnother() {
    Ocean ada = cluster.user("ada@example.com");
    Ocean phone = cluster.as("ada-phone");
    login(phone, "ada@example.com", PASSWORD).ok();

    List<ApiToken> tokens = ada.ocean("token", "list", "-o", "json").ok().json(TOKENS);
    assertEquals(2, tokens.size());
    ApiToken mine = tokens.stream().filter(ApiToken::current).findFirst().orElseThrow();
    ApiToken other = tokens.stream().filter(t -> !t.current()).findFirst().orElseThrow();
    String table = ada.ocean("token", "list").ok().out();
    assertTrue(table.contains("KIND") && table.contains("LAST USED"), table);
    assertEquals("api", mine.kind(), "a CLI login is an api token, not a browser session");
    assertTrue(
        table.lines().anyMatch(l -> l.startsWith(mine.id() + " ") && l.strip().endsWith("*")),
        table);

    ada.ocean("token", "revoke", String.valueOf(other.id())).ok();
    assertEquals(4, phone.ocean("whoami").exit());
    ada.ocean("token", "revoke", String.valueOf(other.id())).failsWithOneLine(3);
    ada.ocean("token", "revoke", "99999").failsWithOneLine(3);
    long adminToken =
        cluster
            .admin()
            .ocean("token", "list", "-q")
            .ok()
            .out()
            .lines()
            .mapToLong(Long::parseLong)
            .findFirst()
            .orElseThrow();
    ada.ocean("token", "revoke", String.valueOf(adminToken)).failsWithOneLine(3);
    cluster.admin().ocean("whoami").ok();
    assertNotEquals(adminToken, mine.id());
  }

  @Test
  void anUnusedTokenExpiresWithAMessageSayingToLogIn() {
    Ocean ada = cluster.user("ada@example.com");
    cluster.clock.advance(Duration.ofDays(29));
    ada.ocean("whoami").ok();
    cluster.clock.advance(Duration.ofDays(29));
    ada.ocean("whoami").ok();
    cluster.clock.advance(Duration.ofDays(31));
    String why = ada.ocean("whoami").failsWithOneLine(4);
    assertTrue(why.contains("token expired, run `ocean login`"), why);
  }

  @Test
  void aThrottledLoginSaysWhenToRetryAndExitsFour() throws Exception {
    cluster.user("ada@example.com");
    Ocean guesser = cluster.as("guesser");
    Run last = null;
    for (int i = 0;
        i < 8 && (last == null || last.exit() != 4 || !last.err().contains("too many"));
        i++) {
      last = login(guesser, "ada@example.com", "Wr0ng-Pass!");
    }
    String why = last.failsWithOneLine(4);
    assertTrue(why.contains("too many failed logins; try again in "), why);

    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"email\":\"ada@example.com\",\"password\":\"Wr0ng-Pass!\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertEquals(429, r.statusCode(), r.body());
    long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1, r.headers().toString());
  }

  @Test
  void passphrasesLongerThan72BytesSignUpAndLogIn() {
    String passphrase = "Sea-" + "the quick brown fox jumps over the lazy dog ".repeat(3) + "1!";
    Ocean ada = cluster.as("ada@example.com");
    ada.withStdin(passphrase + "\n", "signup", "--email", "ada@example.com", "--password-stdin")
        .ok();
    login(ada, "ada@example.com", passphrase).ok();
    // the first 72 bytes alone are not the password
    login(ada, "ada@example.com", passphrase.substring(0, 72)).failsWithOneLine(4);
  }
}
