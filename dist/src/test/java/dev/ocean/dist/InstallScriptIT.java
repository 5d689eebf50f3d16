package dev.ocean.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.dist.Exec.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code install.sh} from the built release: install, upgrade in place, uninstall, and the agent
 * role installed from a running server with curl, as a node without internet does.
 */
class InstallScriptIT {
  private static final Path DIST = Path.of(System.getProperty("ocean.dist", "target/ocean"));

  @TempDir Path home;
  private Process server;

  @AfterEach
  void cleanUp() throws InterruptedException {
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(false))
        .forEach(ProcessHandle::destroy);
    if (server != null) {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void uninstallLeavesNothingOfAPrefixInstall() throws IOException {
    Path prefix = home.resolve("prefix");
    Result install = sh(install(), "--prefix", prefix.toString());
    assertEquals(0, install.exit(), install.describe());
    assertTrue(Files.isExecutable(prefix.resolve("lib/ocean/runtime/bin/java")), "runtime kept");
    Result version =
        Exec.runIn(
            home, BundledRuntimeIT.noJava(home), prefix.resolve("bin/ocean").toString(), "-V");
    assertEquals(0, version.exit(), version.describe());
    assertEquals("ocean 0.1.0", version.stdout().strip(), "runs with no Java installed");

    Result uninstall = sh(install(), "--prefix", prefix.toString(), "--uninstall");
    assertEquals(0, uninstall.exit(), uninstall.describe());
    assertFalse(Files.exists(prefix), "left behind: " + listing(prefix));
  }

  @Test
  void aSecondInstallUpgradesInPlaceAndKeepsDataAndCredentials() throws IOException {
    Path prefix = home.resolve("prefix");
    Path data = home.resolve("server-data");
    Result first =
        sh(install(), "server", "--prefix", prefix.toString(), "--data", data.toString());
    assertEquals(0, first.exit(), first.describe());
    Path password = data.resolve("admin-password");
    String before = Files.readString(password);
    Files.writeString(data.resolve("ocean.db"), "the cluster's state");
    Path login = home.resolve("config/ocean/config.json");
    Files.createDirectories(login.getParent());
    Files.writeString(login, "{\"server\":\"http://127.0.0.1:1\"}");

    Result second =
        sh(install(), "server", "--prefix", prefix.toString(), "--data", data.toString());
    assertEquals(0, second.exit(), second.describe());
    assertEquals(before, Files.readString(password), "the admin's password is kept");
    assertEquals("the cluster's state", Files.readString(data.resolve("ocean.db")));
    assertTrue(Files.isRegularFile(login), "the CLI's login is kept");
    assertTrue(Files.isExecutable(prefix.resolve("bin/ocean-server")), second.describe());

    Result uninstall =
        sh(install(), "--prefix", prefix.toString(), "--data", data.toString(), "--uninstall");
    assertEquals(0, uninstall.exit(), uninstall.describe());
    assertTrue(uninstall.stdout().contains(data.toString()), "names the data it keeps");
    assertTrue(Files.isRegularFile(password), "uninstall keeps the data");
  }

  @Test
  void anAgentInstalledFromTheServerWithCurlJoinsTheNode() throws Exception {
    String url = startServer();
    Map<String, String> env = env();
    Path pw = home.resolve("pw");
    Files.writeString(pw, "Install-test1!\n");
    Result login =
        Exec.run(
            home,
            env,
            "Install-test1!\n",
            bin("ocean"),
            "login",
            "--server",
            url,
            "--email",
            "admin@example.com",
            "--password-stdin");
    assertEquals(0, login.exit(), login.describe());
    Result token = Exec.run(home, env, "", bin("ocean"), "admin", "node", "token", "-q");
    assertEquals(0, token.exit(), token.describe());
    Path tokenFile = home.resolve("join-token");
    Files.writeString(tokenFile, token.stdout());

    Path prefix = home.resolve("node-prefix");
    Path state = home.resolve("agent-state");
    Result agent =
        Exec.run(
            home,
            env,
            "",
            "sh",
            "-c",
            "curl -fsSL "
                + url
                + "/install.sh | sh -s -- agent --token-file "
                + tokenFile
                + " --prefix "
                + prefix
                + " --state-dir "
                + state
                + " --name n1 --runtime process --run-as "
                + System.getProperty("user.name"));
    assertEquals(0, agent.exit(), agent.describe());
    assertTrue(agent.stdout().contains("The agent joined " + url), agent.describe());
    assertFalse(agent.output().contains(token.stdout().strip()), "the token is never printed");

    Result nodes = Exec.run(home, env, "", bin("ocean"), "node", "list", "-q");
    assertEquals("n1", nodes.stdout().strip(), nodes.describe());
    // the node runs the release that came from the server, not the build's copy, on the
    // runtime that came with it (jspawnhelper starts its jobs)
    assertTrue(Files.isExecutable(prefix.resolve("lib/ocean/bin/ocean-agent")));
    assertTrue(Files.isExecutable(prefix.resolve("lib/ocean/runtime/bin/java")));
    assertTrue(Files.isExecutable(prefix.resolve("lib/ocean/runtime/lib/jspawnhelper")));

    Result uninstall =
        sh(
            prefix.resolve("lib/ocean/install.sh"),
            "--prefix",
            prefix.toString(),
            "--state-dir",
            state.toString(),
            "--uninstall");
    assertEquals(0, uninstall.exit(), uninstall.describe());
    assertTrue(uninstall.stdout().contains("Node n1 left " + url), uninstall.describe());
    assertTrue(uninstall.stdout().contains(state.toString()), "names the agent's state it keeps");
    Result after = Exec.run(home, env, "", bin("ocean"), "node", "list", "-q");
    assertEquals("", after.stdout().strip(), "the node is gone from the server: " + after);
    assertTrue(
        ProcessHandle.allProcesses()
            .noneMatch(
                p -> p.info().commandLine().map(c -> c.contains(state.toString())).orElse(false)),
        "the agent it started is stopped");
  }

  @Test
  void anAgentInstalledFromATlsServerWithAPrivateCertificateTakesItsCaCert() throws Exception {
    Path cert = home.resolve("cert.pem");
    Result openssl =
        Exec.run(
            home,
            env(),
            "",
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            home.resolve("key.pem").toString(),
            "-out",
            cert.toString());
    assertEquals(0, openssl.exit(), openssl.describe());
    String url =
        startServer("--tls-cert", cert.toString(), "--tls-key", home.resolve("key.pem").toString());
    assertTrue(url.startsWith("https://"), url);
    Map<String, String> env = env();
    Result login =
        Exec.run(
            home,
            env,
            "Install-test1!\n",
            bin("ocean"),
            "login",
            "--server",
            url,
            "--ca-cert",
            cert.toString(),
            "--email",
            "admin@example.com",
            "--password-stdin");
    assertEquals(0, login.exit(), login.describe());
    Result token = Exec.run(home, env, "", bin("ocean"), "admin", "node", "token", "-q");
    assertEquals(0, token.exit(), token.describe());
    Path tokenFile = home.resolve("join-token");
    Files.writeString(tokenFile, token.stdout());
    Path prefix = home.resolve("node-prefix");
    Path state = home.resolve("agent-state");
    String install =
        "curl -fsSL --cacert "
            + cert
            + " "
            + url
            + "/install.sh | sh -s -- agent --token-file "
            + tokenFile
            + " --prefix "
            + prefix
            + " --state-dir "
            + state
            + " --name n1 --runtime process --run-as "
            + System.getProperty("user.name");

    // the script's own download needs the certificate too, and says so
    Result refused = Exec.run(home, env, "", "sh", "-c", install);
    assertEquals(1, refused.exit(), refused.describe());
    assertTrue(
        refused
            .stderr()
            .contains(
                "install.sh: the server's certificate at "
                    + url
                    + " is not trusted; pass --ca-cert FILE"),
        refused.describe());

    Result joined = Exec.run(home, env, "", "sh", "-c", install + " --ca-cert " + cert);
    assertEquals(0, joined.exit(), joined.describe());
    assertTrue(joined.stdout().contains("The agent joined " + url), joined.describe());
    assertTrue(
        Files.readString(state.resolve("agent.json")).contains(state.resolve("ca.pem").toString()),
        "the agent keeps its own copy of the certificate");
    Result nodes = Exec.run(home, env, "", bin("ocean"), "node", "list", "-q");
    assertEquals("n1", nodes.stdout().strip(), nodes.describe());
    Result uninstall =
        sh(
            prefix.resolve("lib/ocean/install.sh"),
            "--prefix",
            prefix.toString(),
            "--state-dir",
            state.toString(),
            "--uninstall");
    assertEquals(0, uninstall.exit(), uninstall.describe());
  }

  private String startServer(String... more) throws Exception {
    Path log = home.resolve("server.log");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                bin("ocean-server"),
                "--port",
                "0",
                "--host",
                "127.0.0.1",
                "--data",
                home.resolve("data").toString(),
                "--admin-email",
                "admin@example.com"));
    command.addAll(List.of(more));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("OCEAN_ADMIN_PASSWORD", "Install-test1!");
    server = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && server.isAlive()) {
      for (String line : Files.readAllLines(log)) {
        int at = line.indexOf(" serving on ");
        if (at >= 0) {
          return line.substring(at + " serving on ".length()).strip();
        }
      }
      Thread.sleep(100); // poll interval while the server starts
    }
    throw new AssertionError("ocean-server did not start:\n" + Files.readString(log));
  }

  private Result sh(Path script, String... args) {
    String[] command = new String[args.length + 2];
    command[0] = "sh";
    command[1] = script.toString();
    System.arraycopy(args, 0, command, 2, args.length);
    return Exec.run(home, env(), "", command);
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    env.put("XDG_DATA_HOME", home.resolve("share").toString());
    env.put("OCEAN_SYSTEMD", "no");
    env.put("NO_COLOR", "1");
    return env;
  }

  private static Path install() {
    Path script = DIST.resolve("install.sh").toAbsolutePath();
    assertTrue(Files.isExecutable(script), script + " is in the release");
    return script;
  }

  private static String bin(String program) {
    return DIST.resolve("bin").resolve(program).toAbsolutePath().toString();
  }

  private static List<Path> listing(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.toList();
    }
  }
}
