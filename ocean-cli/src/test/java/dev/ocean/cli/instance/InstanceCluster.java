package dev.ocean.cli.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.agent.runtime.docker.PodmanFixture;
import dev.ocean.cli.Cli;
import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.node.Poll;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.json.Json;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real server on port 0 with ada and bob, and one {@code ocean-agent} process ({@code --runtime
 * docker} on a private Podman service, {@code --advertise-address 127.0.0.1}, a port range) that
 * runs instances; the {@code ocean} CLI runs in-process with a home of each user's own.
 */
final class InstanceCluster implements AutoCloseable {
  static final String ADMIN = "admin@example.com";
  static final String PASSWORD = "Sea-Water-42!";
  static final String NODE = "devnode";
  static final ObjectMapper JSON = Json.newMapper();

  /** What one CLI run printed and returned. */
  record Run(int exit, String out, String err) {
    Run ok() {
      assertEquals(0, exit, () -> "exit " + exit + "; stdout: " + out + "; stderr: " + err);
      return this;
    }
  }

  final OceanServer server;
  final Path dir;
  private final Map<String, String> tokens = new HashMap<>();

  /** A directory put first on the CLI's PATH (where a test's {@code ocean} launcher lives). */
  Path bin;

  private Process agent;

  InstanceCluster(Path dir, PodmanFixture podman, String image, String portRange)
      throws IOException, InterruptedException {
    this.dir = dir;
    Path storage = dir.resolve("storage");
    server =
        OceanServer.start(
            new ServerConfig(dir.resolve("server"))
                .host("127.0.0.1")
                .port(0)
                .bcryptCost(4)
                .storageDir(storage)
                .heartbeatSeconds(1)
                .adminEmail(ADMIN)
                .adminPassword(PASSWORD),
            new PrintStream(PrintStream.nullOutputStream()));
    tokens.put("admin", server.users().login(ADMIN, PASSWORD, "127.0.0.1").token());
    for (String who : List.of("ada", "bob")) {
      server.users().signup(who + "@example.com", PASSWORD);
      tokens.put(who, server.users().login(who + "@example.com", PASSWORD, "127.0.0.1").token());
    }
    as(
            "admin",
            "admin",
            "machine-type",
            "create",
            "dev",
            "--cpus",
            "1",
            "--memory",
            "1",
            "--gpus",
            "0")
        .ok();
    as("admin", "admin", "image", "add", "sshd", image).ok();
    for (String who : List.of("ada", "bob")) {
      as(
              "admin",
              "admin",
              "quota",
              "grant",
              who + "@example.com",
              "--machine-type",
              "dev",
              "--count",
              "2",
              "--days",
              "1")
          .ok();
    }
    String token = as("admin", "admin", "node", "token", "--ttl", "1h", "-q").ok().out().strip();
    List<String> argv = new ArrayList<>();
    argv.add(ProcessHandle.current().info().command().orElseThrow());
    argv.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Xmx96m", "-XX:+UseSerialGC"));
    argv.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
    argv.add("dev.ocean.agent.Main");
    argv.addAll(
        List.of(
            "join",
            "--server",
            server.url(),
            "--token",
            token,
            "--name",
            NODE,
            "--state-dir",
            dir.resolve("agent").toString(),
            "--runtime",
            "docker",
            "--docker-host",
            podman.dockerHost(),
            "--storage",
            storage.toString(),
            "--heartbeat",
            "1",
            "--advertise-address",
            "127.0.0.1",
            "--port-range",
            portRange));
    File log = dir.resolve("agent.log").toFile();
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    pb.environment().remove("OCEAN_AGENT_STATE");
    agent = pb.start();
    Poll.check(Duration.ofSeconds(60), "the agent joined and is ready", this::nodeReady);
  }

  String token(String who) {
    return tokens.get(who);
  }

  /** The home directory of {@code who}, where ssh-config writes. */
  Path home(String who) throws IOException {
    return Files.createDirectories(dir.resolve("home-" + who));
  }

  /** Runs {@code ocean ARGS} in-process as {@code who} (ada, bob or admin). */
  Run as(String who, String... args) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("OCEAN_SERVER", server.url());
    env.put("OCEAN_TOKEN", tokens.get(who));
    env.put("HOME", home(who).toString());
    env.put("XDG_CONFIG_HOME", home(who).resolve(".config").toString());
    env.put("PATH", (bin == null ? "" : bin + File.pathSeparator) + System.getenv("PATH"));
    env.put("NO_COLOR", "1");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Cli.run(
            new CliContext(
                env,
                new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out),
                new PrintWriter(err),
                null,
                false),
            args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** A column of ada's or bob's live instance {@code name}, as the server keeps it. */
  String column(String name, String column) {
    return server
        .database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT "
                            + column
                            + " FROM instances WHERE name = ? AND deleted_at IS NULL")
                    .bind(0, name)
                    .mapTo(String.class)
                    .one());
  }

  /** Changes a column of live instance {@code name} behind the server's back. */
  void set(String name, String column, String value) {
    server
        .database()
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE instances SET " + column + " = ? WHERE name = ? AND deleted_at IS NULL",
                    value,
                    name));
  }

  String agentLog() throws IOException {
    Path f = dir.resolve("agent.log");
    return Files.exists(f) ? Files.readString(f) : "";
  }

  private boolean nodeReady() {
    if (!agent.isAlive()) {
      String log;
      try {
        log = agentLog();
      } catch (IOException e) {
        log = e.toString();
      }
      throw new IllegalStateException("the agent exited " + agent.exitValue() + ":\n" + log);
    }
    try {
      List<Node> nodes =
          JSON.readValue(
              as("admin", "node", "list", "-o", "json").ok().out(),
              new TypeReference<List<Node>>() {});
      return nodes.stream().anyMatch(n -> n.name().equals(NODE) && "ready".equals(n.state()));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (agent != null) {
      agent.destroyForcibly();
      agent.waitFor(10, TimeUnit.SECONDS);
    }
    server.close();
  }
}
