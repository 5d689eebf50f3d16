package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.cmd.AgentCommand;
import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.daemon.AgentStatus;
import dev.ocean.agent.daemon.Joiner;
import dev.ocean.agent.facts.NodeFingerprint;
import dev.ocean.cli.base.Config;
import dev.ocean.common.client.OceanClientException;
import dev.ocean.common.tls.Openssl;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI and the agent against a server that serves HTTPS with a self-signed certificate. */
class TlsCliTest {
  @TempDir Path dir;
  private Path cert;
  private TestCluster cluster;

  @BeforeEach
  void start() {
    cert = dir.resolve("cert.pem");
    Openssl.selfSigned(cert, dir.resolve("key.pem"), "rsa:2048");
    cluster = TestCluster.startWithTls(dir, cert, dir.resolve("key.pem"));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private String untrusted() {
    return "the server's certificate at "
        + cluster.url()
        + " is not trusted; pass --ca-cert FILE (or set OCEAN_CA_CERT) with that certificate or the"
        + " CA that signed it.";
  }

  @Test
  void loginWithCaCertRemembersItAndListsVolumes() {
    assertTrue(cluster.url().startsWith("https://"), cluster.url());
    Ocean admin = cluster.as(TestCluster.ADMIN);
    admin
        .withStdin(
            TestCluster.PASSWORD + "\n",
            "login",
            "--email",
            TestCluster.ADMIN,
            "--password-stdin",
            "--ca-cert",
            cert.toString())
        .ok();
    Config.Saved saved = new Config(admin.configFile()).load();
    assertEquals(cert.toAbsolutePath().toString(), saved.caCert());
    admin.ocean("volume", "create", "data", "--size", "1").ok();
    assertEquals("data", admin.ocean("volume", "list", "-q").ok().out().strip());
  }

  @Test
  void theCaCertCanComeFromTheEnvironment() {
    Ocean ada = cluster.as("ada@ocean.test").env("OCEAN_CA_CERT", cert.toString());
    ada.withStdin(
            TestCluster.PASSWORD + "\n", "signup", "--email", "ada@ocean.test", "--password-stdin")
        .ok();
    cluster.login("ada@ocean.test");
    assertEquals("", ada.ocean("volume", "list", "-q").ok().out().strip());
  }

  @Test
  void withoutTheCaCertTheCliSaysTheCertificateIsNotTrusted() {
    Run r =
        cluster
            .as(TestCluster.ADMIN)
            .withStdin(
                TestCluster.PASSWORD + "\n",
                "login",
                "--email",
                TestCluster.ADMIN,
                "--password-stdin");
    assertEquals(untrusted(), r.failsWithOneLine(1));
  }

  @Test
  void insideARunTheAgentsCertificatesComeAsText() throws Exception {
    // what the agent hands a run: the PEM itself, no file the job's user may not read
    Ocean inRun =
        cluster
            .as(TestCluster.ADMIN)
            .env("OCEAN_CA_CERT_PEM", java.nio.file.Files.readString(cert));
    inRun
        .withStdin(
            TestCluster.PASSWORD + "\n", "login", "--email", TestCluster.ADMIN, "--password-stdin")
        .ok();
    assertTrue(inRun.ocean("whoami").ok().out().contains(TestCluster.ADMIN));
    assertEquals(
        "OCEAN_CA_CERT_PEM holds no PEM certificate that can be read (-----BEGIN"
            + " CERTIFICATE-----).",
        inRun.env("OCEAN_CA_CERT_PEM", "not a certificate").ocean("whoami").failsWithOneLine(2));
  }

  @Test
  void aMissingCaCertFileIsNamed() {
    Path missing = dir.resolve("nope.pem");
    Run r =
        cluster
            .as(TestCluster.ADMIN)
            .withStdin(
                TestCluster.PASSWORD + "\n",
                "login",
                "--email",
                TestCluster.ADMIN,
                "--password-stdin",
                "--ca-cert",
                missing.toString());
    // a flag naming a file that is not there is bad input: exit 2, naming the flag
    assertEquals(
        "--ca-cert: the CA certificate file " + missing + " does not exist.",
        r.failsWithOneLine(2));
  }

  @Test
  void aSavedCaCertThatIsGoneSaysWhereItCameFromAndLogoutStillForgetsTheLogin() throws Exception {
    Path copy = dir.resolve("copy.pem");
    java.nio.file.Files.copy(cert, copy);
    Ocean admin = cluster.as(TestCluster.ADMIN);
    admin
        .withStdin(
            TestCluster.PASSWORD + "\n",
            "login",
            "--email",
            TestCluster.ADMIN,
            "--password-stdin",
            "--ca-cert",
            copy.toString())
        .ok();
    java.nio.file.Files.delete(copy);
    assertEquals(
        "the CA certificate "
            + copy
            + " that `ocean login` saved is gone; pass --ca-cert FILE, or run `ocean login"
            + " --ca-cert FILE` again.",
        admin.ocean("whoami").failsWithOneLine(1));
    admin.ocean("--ca-cert", cert.toString(), "whoami").ok();
    // the server cannot be told without the CA, but the login here is forgotten all the same
    String why = admin.ocean("logout").failsWithOneLine(1);
    assertTrue(why.startsWith("logged out on this machine, but the server was not told"), why);
    assertNull(new Config(admin.configFile()).load().token());

    // a login to another, plain-HTTP server does not use the CA saved for this one
    try (TestCluster plain = TestCluster.start(dir.resolve("plain"))) {
      admin.env("OCEAN_SERVER", null);
      admin
          .withStdin(
              TestCluster.PASSWORD + "\n",
              "login",
              "--server",
              plain.url(),
              "--email",
              TestCluster.ADMIN,
              "--password-stdin")
          .ok();
      assertTrue(admin.ocean("whoami").ok().out().contains(TestCluster.ADMIN));
    }
  }

  @Test
  void anAgentJoinedWithCaCertRegistersAndHeartbeatsOverHttps() throws Exception {
    Ocean admin = cluster.as(TestCluster.ADMIN).env("OCEAN_CA_CERT", cert.toString());
    cluster.login(TestCluster.ADMIN);
    String token = admin.ocean("admin", "node", "token", "-q").ok().out().strip();
    Path state = dir.resolve("agent");
    Map<String, String> env =
        Map.of("OCEAN_SYSTEMD_DIR", dir.resolve("systemd").toString(), "PATH", "/nonexistent");

    OceanClientException refused =
        assertThrows(
            OceanClientException.class,
            () ->
                Joiner.join(
                    new Joiner.Request(
                        cluster.url(),
                        token,
                        "box",
                        "process",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                    dir.resolve("refused"),
                    NodeFingerprint.ofThisMachine(env)));
    assertEquals(untrusted(), refused.getMessage() + ".");

    int exit =
        AgentCommand.run(
            env,
            "join",
            "--server",
            cluster.url(),
            "--token",
            token,
            "--name",
            "box",
            "--runtime",
            "process",
            "--ca-cert",
            cert.toString(),
            "--state-dir",
            state.toString(),
            "--install-service");
    assertEquals(0, exit);
    AgentConfig config = AgentConfig.load(state).orElseThrow();
    assertEquals(cert.toAbsolutePath().toString(), config.caCert());

    try (AgentDaemon daemon =
        new AgentDaemon(config, state, NodeFingerprint.ofThisMachine(env)).start()) {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
      AgentStatus status = null;
      while (Instant.now().isBefore(deadline)) {
        status = AgentStatus.load(state).orElse(null);
        if (status != null && status.lastHeartbeatAt() != null) {
          break;
        }
        Thread.sleep(50);
      }
      assertNotNull(status, "no heartbeat within 20 s");
      assertNotNull(status.lastHeartbeatAt(), () -> "no heartbeat: " + AgentStatus.load(state));
      assertNull(status.lastError());
    }
    String nodes = admin.ocean("node", "list", "-q").ok().out();
    assertTrue(nodes.lines().anyMatch("box"::equals), nodes);
  }
}
