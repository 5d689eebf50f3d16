package dev.ocean.server.web;

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
 * joined as node {@code node1}: what the browser tests run against.
 */
final class WebCluster implements AutoCloseable {
  static final String ADMIN = "admin@ocean.test";
  static final String PASSWORD = "Sea-Sh3ll!s";

  final OceanServer server;
  final OceanClient admin;
  private final Path dir;
  private Process agent;

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
    startAgent();
  }

  String url() {
    return server.url();
  }

  String login(String email, String password) {
    return OceanClient.forUser(url(), null)
        .post("/auth/login", new Credentials(email, password), Session.class)
        .token();
  }

  private void startAgent() throws IOException {
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
            "node1",
            "--state-dir",
            dir.resolve("agent").toString(),
            "--runtime",
            "process",
            "--run-as",
            System.getProperty("user.name"),
            "--storage",
            dir.resolve("data").resolve("storage").toString(),
            "--heartbeat",
            "1"));
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("agent.log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OCEAN_"));
    agent = pb.start();
    await(
        Duration.ofSeconds(90),
        "the agent's node is ready",
        () ->
            Arrays.stream(admin.get("/nodes", Node[].class))
                .anyMatch(n -> n.name().equals("node1") && n.state().equals("ready")));
  }

  String agentLog() {
    try {
      return Files.readString(dir.resolve("agent.log"));
    } catch (IOException e) {
      return e.toString();
    }
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
  public void close() throws InterruptedException {
    if (agent != null) {
      agent.descendants().forEach(ProcessHandle::destroyForcibly);
      agent.destroyForcibly();
      agent.waitFor(10, TimeUnit.SECONDS);
    }
    server.close();
  }
}
