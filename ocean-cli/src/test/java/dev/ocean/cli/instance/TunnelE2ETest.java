package dev.ocean.cli.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ocean.agent.work.PortOpener;
import dev.ocean.cli.node.Poll;
import dev.ocean.cli.node.Sshd;
import dev.ocean.cli.sshconfig.SshConfigFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reaching an instance through the server's own port only: a real server, the agent's real work
 * loop, and for the instance's ports a real sshd and an HTTP server on 127.0.0.1 that only the
 * agent's {@link PortOpener} connects to. The CLI runs as a real process, as ssh runs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class TunnelE2ETest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private Sshd sshd;
  private HttpServer jupyter;
  private TunnelCluster cluster;
  private CliProcess ada;
  private final List<Process> started = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    sshd = Sshd.start(dir.resolve("sshd"));
    jupyter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    jupyter.createContext(
        "/",
        x -> {
          byte[] body = ("notebook at " + x.getRequestURI()).getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    jupyter.start();
    int sshPort = sshd.port;
    int httpPort = jupyter.getAddress().getPort();
    PortOpener ports =
        (runId, port) ->
            switch (port) {
              case 22 -> PortOpener.tcp("127.0.0.1", sshPort);
              case 8888 -> PortOpener.tcp("127.0.0.1", httpPort);
              default -> throw new IOException("nothing listens on port " + port);
            };
    cluster = new TunnelCluster(dir.resolve("cluster"), ports);
    ada =
        new CliProcess(
            Files.createDirectories(dir.resolve("ada")), cluster.url(), cluster.adaToken);
  }

  @AfterAll
  void stop() {
    started.forEach(Process::destroyForcibly);
    if (cluster != null) {
      cluster.close();
    }
    if (jupyter != null) {
      jupyter.stop(0);
    }
    if (sshd != null) {
      sshd.close();
    }
  }

  @Test
  void sshjRunsACommandThroughOceanInstanceProxy() throws Exception {
    Process proxy = track(ada.start("proxy", "instance", "proxy", "box"));
    try (SSHClient ssh = new SSHClient()) {
      ssh.setSocketFactory(ProcessSocket.factory(proxy));
      ssh.addHostKeyVerifier(sshd.fingerprint());
      ssh.connect("ocean-box", 22);
      ssh.authPublickey("root", ssh.loadKeys(sshd.clientKey.toString()));
      try (Session session = ssh.startSession()) {
        Session.Command cmd = session.exec("echo through-the-tunnel; hostname >/dev/null");
        String out = new String(cmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        cmd.join(30, TimeUnit.SECONDS);
        assertEquals("through-the-tunnel\n", out);
        assertEquals(0, cmd.getExitStatus());
      }
    }
    assertTrue(proxy.waitFor(30, TimeUnit.SECONDS), "the proxy ends when ssh hangs up");
    assertEquals(0, proxy.exitValue(), ada.stderr("proxy"));
  }

  @Test
  void systemSshRunsACommandWithTheGeneratedConfig() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    String hostKey = Files.readString(Path.of(sshd.hostKey + ".pub")).strip();
    SshConfigFiles files = new SshConfigFiles(home);
    files.write(List.of(new SshConfigFiles.Entry("box", hostKey)), ada.launcher().toString());

    // ssh expands ~ with the account's home, not $HOME: the test names its files explicitly
    List<String> argv =
        List.of(
            "ssh",
            "-F",
            files.oceanConfig().toString(),
            "-o",
            "UserKnownHostsFile=" + files.knownHosts(),
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-i",
            sshd.clientKey.toString(),
            "-l",
            "root",
            "ocean-box",
            "echo",
            "generated-config-works");
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    pb.environment().putAll(ada.env());
    Process ssh = track(pb.start());
    String out = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(ssh.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, ssh.exitValue(), out);
    assertEquals("generated-config-works", out.strip());
  }

  @Test
  void portForwardReachesAnHttpServerInTheInstance() throws Exception {
    Process forward = track(ada.start("forward", "instance", "port-forward", "box", "0:8888"));
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(forward.getInputStream(), StandardCharsets.UTF_8));
    String first = lines.readLine();
    Matcher m =
        Pattern.compile("Forwarding 127\\.0\\.0\\.1:(\\d+) -> box:8888 \\(Ctrl-C to stop\\)")
            .matcher(String.valueOf(first));
    assertTrue(m.matches(), first + " / " + ada.stderr("forward"));
    int local = Integer.parseInt(m.group(1));
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/tree", "/lab")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + path))
                  .timeout(WAIT)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertEquals("notebook at " + path, r.body());
    }
    Poll.check(
        WAIT, "the tunnel's traffic is recorded for idle stop", () -> lastActivity("box") != null);
  }

  @Test
  void anotherUsersTokenCannotOpenTheTunnel() throws Exception {
    CliProcess bob =
        new CliProcess(
            Files.createDirectories(dir.resolve("bob")), cluster.url(), cluster.bobToken);
    Process proxy = track(bob.start("proxy", "instance", "proxy", "box"));
    assertTrue(proxy.waitFor(60, TimeUnit.SECONDS));
    assertEquals(3, proxy.exitValue());
    assertEquals(
        "Error: you have no running instance named 'box'; see `ocean instance list`.",
        bob.stderr("proxy").strip());
  }

  @Test
  void aPortNothingListensOnClosesWithTheAgentsReason() throws Exception {
    Process proxy = track(ada.start("closed-port", "instance", "proxy", "box", "--port", "5000"));
    assertTrue(proxy.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, proxy.exitValue());
    assertEquals(
        "Error: the tunnel to box:5000 closed: cannot reach port 5000: nothing listens on port"
            + " 5000.",
        ada.stderr("closed-port").strip());
  }

  private Long lastActivity(String name) {
    return cluster
        .server
        .database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT last_activity_at FROM instances WHERE name = ?")
                    .bind(0, name)
                    .mapTo(Long.class)
                    .findFirst()
                    .orElse(null));
  }

  private Process track(Process p) {
    started.add(p);
    return p;
  }
}
