package dev.ocean.server.web;

import dev.ocean.agent.runtime.docker.PodmanFixture;
import dev.ocean.agent.runtime.docker.SshdImage;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real server on port 0 with an admin, machine type {@code cpu1} (1 CPU, 1 GiB), the image {@code
 * host}, and one agent ({@code dev.ocean.agent.Main}) as an OS process with the process runtime,
 * joined as node {@code node1}: what the browser tests run against. Tests that need instances call
 * {@link #startContainerNode}, which adds {@code node2}, an agent whose containers run in a private
 * Podman with a locally built sshd image ({@code sshd}), advertising 127.0.0.1.
 */
final class WebCluster implements AutoCloseable {
  static final String ADMIN = "admin@ocean.test";
  static final String PASSWORD = "Sea-Sh3ll!s";

  final OceanServer server;
  final OceanClient admin;
  private final Path dir;
  private final List<Process> agents = new ArrayList<>();
  private PodmanFixture podman;

  WebCluster(Path dir) throws Exception {
    this.dir = dir;
    server =
        OceanServer.start(
            new ServerConfig(dir.resolve("data"))
                .host("127.0.0.1")
                .port(0)
                .bcryptCost(4)
                .heartbeatSeconds(1)
                .adminEmail(ADMIN)
                .adminPassword(PASSWORD),
            new PrintStream(PrintStream.nullOutputStream()));
    admin = OceanClient.forUser(url(), login(ADMIN, PASSWORD));
    admin.post(
        "/machine-types",
        new MachineType.Create("cpu1", 1, 1, 0, null, null, null),
        MachineType.class);
    admin.post("/images", new Image.Create("host", "local/host", null, Image.HOST), Image.class);
    startAgent(
        "node1", List.of("--runtime", "process", "--run-as", System.getProperty("user.name")));
  }

  /**
   * Joins {@code node2} with the Docker runtime on a private Podman service and registers the image
   * {@code sshd} (OpenSSH and a stand-in editor); skips the calling test when Podman or sshd is
   * missing here, and fails it when {@code CI} is set.
   */
  void startContainerNode() throws IOException, InterruptedException {
    if (podman != null) {
      return;
    }
    podman = PodmanFixture.start();
    String image = SshdImage.build(podman);
    admin.post("/images", new Image.Create("sshd", image, null, Image.CONTAINER), Image.class);
    startAgent(
        "node2",
        List.of(
            "--runtime",
            "docker",
            "--docker-host",
            podman.dockerHost(),
            "--advertise-address",
            "127.0.0.1"));
  }

  String url() {
    return server.url();
  }

  String login(String email, String password) {
    return OceanClient.forUser(url(), null)
        .post("/auth/login", new Credentials(email, password), Session.class)
        .token();
  }

  private void startAgent(String name, List<String> runtime) throws IOException {
    String token =
        admin.post("/admin/join-tokens", new JoinToken.Create("1h", 1), JoinToken.class).token();
    List<String> argv =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.ocean.agent.Main"));
    argv.addAll(
        Arrays.asList(
            "join",
            "--server",
            url(),
            "--token",
            token,
            "--name",
            name,
            "--state-dir",
            dir.resolve("agent-" + name).toString(),
            "--storage",
            dir.resolve("data").resolve("storage").toString(),
            "--heartbeat",
            "1"));
    argv.addAll(runtime);
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OCEAN_"));
    agents.add(pb.start());
    await(
        Duration.ofSeconds(90),
        "the agent's node " + name + " is ready",
        () ->
            Arrays.stream(admin.get("/nodes", Node[].class))
                .anyMatch(n -> n.name().equals(name) && n.state().equals("ready")));
  }

  /** What the agents printed, for failure messages. */
  String agentLog() {
    StringBuilder all = new StringBuilder();
    for (String name : List.of("node1", "node2")) {
      Path log = dir.resolve(name + ".log");
      try {
        if (Files.exists(log)) {
          all.append("--- ").append(name).append('\n').append(Files.readString(log));
        }
      } catch (IOException e) {
        all.append(e).append('\n');
      }
    }
    return all.toString();
  }

  void await(Duration limit, String what, BooleanSupplier done) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what + "; agent log:\n" + agentLog());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() throws InterruptedException, IOException {
    for (Process agent : agents) {
      agent.descendants().forEach(ProcessHandle::destroyForcibly);
      agent.destroyForcibly();
      agent.waitFor(10, TimeUnit.SECONDS);
    }
    server.close();
    if (podman != null) {
      podman.close();
    }
  }
}
