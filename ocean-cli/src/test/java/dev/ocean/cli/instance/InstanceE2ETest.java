package dev.ocean.cli.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.docker.FreePortRange;
import dev.ocean.agent.runtime.docker.PodmanFixture;
import dev.ocean.agent.runtime.docker.SshdImage;
import dev.ocean.cli.instance.InstanceCluster.Run;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole instance path as a user walks it: the {@code ocean} CLI against a real server, a real
 * {@code ocean-agent} process running instances in Podman from an image with this machine's own
 * sshd, the system {@code ssh}, and the server's tunnel. Steps build on each other (one instance,
 * {@code box}, on volume {@code v}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class InstanceE2ETest {
  @TempDir static Path dir;
  private PodmanFixture podman;
  private InstanceCluster cluster;
  private Path key;
  private final List<Process> started = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    podman = PodmanFixture.start();
    String image = SshdImage.build(podman);
    int low = FreePortRange.low(10);
    cluster = new InstanceCluster(dir.resolve("cluster"), podman, image, low + "-" + (low + 9));
    cluster.bin = adaProcess().launcher().getParent();
    key = dir.resolve("ada_ed25519");
    Process keygen =
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
            .redirectErrorStream(true)
            .start();
    assertEquals(0, keygen.waitFor(), new String(keygen.getInputStream().readAllBytes()));
  }

  @AfterAll
  void stop() throws Exception {
    started.forEach(Process::destroyForcibly);
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (podman != null) {
        podman.close();
      }
    }
  }

  @Test
  @Order(1)
  void createdInstanceRunsAndGetShowsHowToReachIt() throws Exception {
    ada("ssh-key", "add", key + ".pub").ok();
    ada("volume", "create", "v", "--size", "1").ok();

    ada(
            "instance",
            "create",
            "box",
            "--machine-type",
            "dev",
            "--image",
            "sshd",
            "--volume",
            "v",
            "--wait")
        .ok();

    String get = ada("instance", "get", "box").ok().out();
    assertTrue(get.matches("(?s).*ssh -p \\d+ linuxbrew@127\\.0\\.0\\.1.*"), get);
    assertTrue(get.matches("(?s).*http://127\\.0\\.0\\.1:\\d+.*"), get);
    assertTrue(get.matches("(?s).*ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}.*"), get);
  }

  @Test
  @Order(2)
  void instanceSshRunsACommandWithNoPrompt() throws Exception {
    assertEquals("1000\n", ssh("box", "id", "-u").ok().out());
    String env = ssh("box", "env").ok().out();
    assertTrue(env.contains("OCEAN_SERVER="), env);
    assertTrue(env.contains("OCEAN_TOKEN="), env);
  }

  @Test
  @Order(3)
  void oceanInsideTheInstanceSeesItsOwnersJobsOnly() throws Exception {
    ada(
            "job",
            "submit",
            "--name",
            "ada-job",
            "--machine-type",
            "dev",
            "--image",
            "sshd",
            "--wait",
            "--",
            "true")
        .ok();
    cluster
        .as(
            "bob",
            "job",
            "submit",
            "--name",
            "bob-job",
            "--machine-type",
            "dev",
            "--image",
            "sshd",
            "--wait",
            "--",
            "true")
        .ok();

    // the server listens on the host's 127.0.0.1, not the container's: OCEAN_SERVER must lead there
    String jobs = ssh("box", getInside("/api/v1/jobs?all=true")).ok().out();

    assertTrue(jobs.startsWith("HTTP/1.1 200"), jobs);
    assertTrue(jobs.contains("\"ada-job\""), jobs);
    assertTrue(!jobs.contains("bob-job"), jobs);
  }

  @Test
  @Order(4)
  void homeSurvivesStopAndStartAndShowsInAnotherInstanceOnTheVolume() throws Exception {
    ssh("box", "sh", "-c", "'echo kept > /home/linuxbrew/notes.txt'").ok();

    ada("instance", "stop", "box", "--wait").ok();
    ada("instance", "start", "box", "--wait").ok();

    assertEquals("kept\n", ssh("box", "cat", "notes.txt").ok().out());
    ada("instance", "stop", "box", "--wait").ok();
    ada(
            "instance",
            "create",
            "other",
            "--machine-type",
            "dev",
            "--image",
            "sshd",
            "--volume",
            "v",
            "--wait")
        .ok();
    assertEquals("kept\n", ssh("other", "cat", "notes.txt").ok().out());
    ada("instance", "delete", "other").ok();
    ada("instance", "start", "box", "--wait").ok();
  }

  @Test
  @Order(5)
  void aChangedHostKeyIsRefused() throws Exception {
    String real = cluster.column("box", "host_key");
    // what the server knows no longer matches what the node presents (a replaced machine)
    cluster.set("box", "host_key", Files.readString(Path.of(key + ".pub")).strip());
    try {
      Run r = ssh("box", "true");
      assertEquals(255, r.exit(), r.err());
      assertTrue(r.err().contains("Host key verification failed"), r.err());
      assertTrue(r.err().contains("run `ocean instance ssh box` again"), r.err());
    } finally {
      cluster.set("box", "host_key", real);
    }
    ssh("box", "true").ok();
  }

  @Test
  @Order(6)
  void sshjRunsACommandThroughOceanInstanceProxy() throws Exception {
    CliProcess proxyCli = adaProcess();
    Process proxy = track(proxyCli.start("proxy", "instance", "proxy", "box"));
    try (SSHClient ssh = new SSHClient()) {
      ssh.setSocketFactory(ProcessSocket.factory(proxy));
      // the key the server reported: the tunnel leads to the instance's own sshd
      ssh.addHostKeyVerifier(HostKeys.fingerprint(cluster.column("box", "host_key")).split(" ")[1]);
      ssh.connect("ocean-box", 22);
      ssh.authPublickey("linuxbrew", ssh.loadKeys(key.toString()));
      try (Session session = ssh.startSession()) {
        Session.Command cmd = session.exec("echo through-the-tunnel");
        String out = new String(cmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        cmd.join(30, TimeUnit.SECONDS);
        assertEquals("through-the-tunnel\n", out, proxyCli.stderr("proxy"));
      }
    }
  }

  @Test
  @Order(7)
  void systemSshWithTheGeneratedConfigAndPortForwardGoThroughTheServer() throws Exception {
    ada("ssh-config").ok();
    Path home = cluster.home("ada");
    Path config = home.resolve(".ssh/ocean/config");
    assertTrue(Files.readString(config).contains("Host ocean-box"), Files.readString(config));
    assertEquals(
        "generated-config-works",
        SystemSsh.viaConfig(
                cluster.home("ada"),
                cluster.bin,
                adaProcess().env(),
                key,
                "echo generated-config-works")
            .strip());

    // a key that differs from the pinned one (another machine answering as ocean-box) is refused
    Path knownHosts = home.resolve(".ssh/ocean/known_hosts");
    Files.writeString(
        knownHosts, "ocean-box " + Files.readString(Path.of(key + ".pub")).strip() + "\n");
    String refused =
        SystemSsh.viaConfig(
            cluster.home("ada"), cluster.bin, adaProcess().env(), key, "echo should-not-run");
    assertTrue(refused.contains("Host key verification failed"), refused);
    assertTrue(!refused.contains("should-not-run"), refused);
    ada("ssh-config").ok(); // pins the reported key again

    CliProcess cli = adaProcess();
    Process forward = track(cli.start("forward", "instance", "port-forward", "box", "0:8080"));
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(forward.getInputStream(), StandardCharsets.UTF_8));
    String first = lines.readLine();
    Matcher m =
        Pattern.compile("Forwarding 127\\.0\\.0\\.1:(\\d+) -> box:8080 .*")
            .matcher(String.valueOf(first));
    assertTrue(m.matches(), first + " / " + cli.stderr("forward"));
    HttpResponse<String> page =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/"))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(SshdImage.EDITOR_PAGE + "\n", page.body());
  }

  @Test
  @Order(8)
  void anotherUsersTokenCannotOpenTheTunnel() throws Exception {
    CliProcess bob =
        new CliProcess(
            Files.createDirectories(dir.resolve("proxy-bob")),
            cluster.server.url(),
            cluster.token("bob"));
    Process proxy = track(bob.start("proxy", "instance", "proxy", "box"));
    assertTrue(proxy.waitFor(60, TimeUnit.SECONDS));
    assertEquals(3, proxy.exitValue(), bob.stderr("proxy"));
  }

  @Test
  @Order(9)
  void instanceSshGoesThroughTheServerWhenTheNodeDoesNotAnswer() throws Exception {
    // as if the node's address were on a private network: nothing answers at 127.0.0.2
    cluster.set("box", "address", "127.0.0.2");
    try {
      Run r = ada("-v", "instance", "ssh", "box", "-i", key.toString(), "--", "echo", "via-tunnel");
      assertEquals(0, r.exit(), r.err());
      assertEquals("via-tunnel\n", r.out());
      assertTrue(r.err().contains("connecting through the Ocean server"), r.err());
    } finally {
      cluster.set("box", "address", "127.0.0.1");
    }
  }

  @Test
  @Order(10)
  void anInstanceBeyondTheQuotaIsRefusedAndDeletingFreesIt() throws Exception {
    ada("instance", "create", "second", "--machine-type", "dev", "--image", "sshd").ok();
    Run refused = ada("instance", "create", "third", "--machine-type", "dev", "--image", "sshd");
    assertEquals(5, refused.exit(), refused.err());
    ada("instance", "delete", "second").ok();
    ada("instance", "create", "third", "--machine-type", "dev", "--image", "sshd").ok();
    ada("instance", "delete", "third").ok();
  }

  @Test
  @Order(99)
  void theInstancesTokenDiesWithIt() throws Exception {
    String token =
        ssh("box", "env")
            .ok()
            .out()
            .lines()
            .filter(l -> l.startsWith("OCEAN_TOKEN="))
            .findFirst()
            .orElseThrow()
            .substring("OCEAN_TOKEN=".length());
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest jobs =
        HttpRequest.newBuilder(URI.create(cluster.server.url() + "/api/v1/jobs"))
            .header("Authorization", "Bearer " + token)
            .build();
    assertEquals(200, http.send(jobs, HttpResponse.BodyHandlers.ofString()).statusCode());

    ada("instance", "delete", "box").ok();

    assertEquals(401, http.send(jobs, HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  private CliProcess adaProcess() throws IOException {
    return new CliProcess(
        Files.createDirectories(dir.resolve("proxy-ada")),
        cluster.server.url(),
        cluster.token("ada"));
  }

  /** A shell line run in the instance: GET OCEAN_SERVER's {@code path} with its OCEAN_TOKEN. */
  private static String getInside(String path) {
    return "hp=${OCEAN_SERVER#http://}; printf 'GET "
        + path
        + " HTTP/1.0\\r\\nAuthorization: Bearer %s\\r\\n\\r\\n' \"$OCEAN_TOKEN\""
        + " | nc -w 10 ${hp%:*} ${hp##*:}";
  }

  private Run ada(String... args) throws IOException {
    return cluster.as("ada", args);
  }

  private Run ssh(String name, String... command) throws IOException {
    List<String> args = new ArrayList<>(List.of("instance", "ssh", name, "-i", key.toString()));
    args.add("--");
    args.addAll(List.of(command));
    return ada(args.toArray(String[]::new));
  }

  private Process track(Process p) {
    started.add(p);
    return p;
  }
}
