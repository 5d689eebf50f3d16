package dev.ocean.cli.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.agent.runtime.docker.PodmanFixture;
import dev.ocean.cli.Cli;
import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.node.Poll;
import dev.ocean.common.api.User;
import dev.ocean.common.api.job.Job;
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
 * A real server in-process with an admin and a plain user who holds a quota, the {@code ocean} CLI
 * run in-process against it, and one {@code ocean-agent} as an OS process whose containers run in
 * {@code podman}; the agent and the server share one volume storage directory.
 */
final class ContainerCluster implements AutoCloseable {
  static final String ADMIN = "admin@example.com";
  static final String USER = "ada@example.com";
  static final String PASSWORD = "Sea-Water-42!";
  static final String NODE = "podnode";
  static final String MACHINE_TYPE = "c1";
  static final String IMAGE = "busybox";
  static final ObjectMapper JSON = Json.newMapper();

  /** The JVM options of {@code dist/src/bin/ocean-agent}, so memory use is what nodes see. */
  private static final List<String> AGENT_JVM =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "-Xmx64m",
          "-Xss512k",
          "-XX:+UseSerialGC",
          "-XX:MaxMetaspaceSize=96m",
          "-XX:ReservedCodeCacheSize=32m",
          "-XX:TieredStopAtLevel=1");

  /** What one CLI run printed and returned. */
  record Run(int exit, String out, String err) {
    Run ok() {
      assertEquals(0, exit, () -> "exit " + exit + "; stdout: " + out + "; stderr: " + err);
      return this;
    }

    <T> T json(Class<T> type) {
      return json(JSON.getTypeFactory().constructType(type));
    }

    <T> T json(TypeReference<T> type) {
      return json(JSON.getTypeFactory().constructType(type));
    }

    private <T> T json(com.fasterxml.jackson.databind.JavaType type) {
      try {
        return JSON.readValue(out, type);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out + "; stderr: " + err, e);
      }
    }
  }

  final OceanServer server;
  final Path storage;
  final Path agentState;
  final long userId;
  private final Path dir;
  private final String adminToken;
  private final String userToken;
  private Process agent;

  ContainerCluster(Path dir, PodmanFixture podman) throws IOException, InterruptedException {
    this.dir = dir;
    this.storage = dir.resolve("storage");
    this.agentState = dir.resolve("agent");
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
    adminToken = server.users().login(ADMIN, PASSWORD, "127.0.0.1").token();
    server.users().signup(USER, PASSWORD);
    userToken = server.users().login(USER, PASSWORD, "127.0.0.1").token();
    userId = user("whoami", "-o", "json").ok().json(User.class).id();

    admin(
            "admin",
            "machine-type",
            "create",
            MACHINE_TYPE,
            "--cpus",
            "1",
            "--memory",
            "1",
            "--gpus",
            "0")
        .ok();
    admin("admin", "image", "add", IMAGE, PodmanFixture.IMAGE).ok();
    admin(
            "admin",
            "quota",
            "grant",
            USER,
            "--machine-type",
            MACHINE_TYPE,
            "--count",
            "4",
            "--days",
            "1")
        .ok();

    String token = admin("admin", "node", "token", "--ttl", "1h", "-q").ok().out().strip();
    startAgent(
        "join",
        "--server",
        server.url(),
        "--token",
        token,
        "--name",
        NODE,
        "--state-dir",
        agentState.toString(),
        "--runtime",
        "docker",
        "--docker-host",
        podman.dockerHost(),
        "--storage",
        storage.toString(),
        "--heartbeat",
        "1");
    Poll.check(Duration.ofSeconds(60), "the agent joined and is ready", () -> nodeReady());
  }

  /** Runs {@code ocean ARGS} in-process as the admin. */
  Run admin(String... args) {
    return cli(adminToken, args);
  }

  /** Runs {@code ocean ARGS} in-process as the plain user. */
  Run user(String... args) {
    return cli(userToken, args);
  }

  /** Submits {@code command} as the user with the test machine type and image. */
  Run submit(List<String> options, String... command) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "job", "submit", "--name", "t", "--machine-type", MACHINE_TYPE, "--image", IMAGE));
    args.addAll(options);
    args.add("--");
    args.addAll(List.of(command));
    return user(args.toArray(String[]::new));
  }

  Job job(long id) {
    return user("job", "get", Long.toString(id), "-o", "json").ok().json(Job.class);
  }

  /** The whole log of a job's only run, as {@code ocean logs} prints it. */
  String logs(long id) {
    return user("logs", Long.toString(id)).ok().out();
  }

  /** Kills the agent process at once, as a crash or {@code kill -9} would. */
  void killAgent() throws InterruptedException {
    agent.destroyForcibly();
    if (!agent.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the agent did not die");
    }
  }

  /** Starts the agent again from its state directory ({@code ocean-agent run}). */
  void restartAgent() throws IOException {
    startAgent("run", "--state-dir", agentState.toString());
  }

  /** What the agent processes printed so far. */
  String agentLog() throws IOException {
    Path f = dir.resolve("agent.log");
    return Files.exists(f) ? Files.readString(f) : "";
  }

  private void startAgent(String... args) throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add(ProcessHandle.current().info().command().orElseThrow());
    argv.addAll(AGENT_JVM);
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add("dev.ocean.agent.Main");
    argv.addAll(List.of(args));
    File log = dir.resolve("agent.log").toFile();
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    pb.environment().remove("OCEAN_AGENT_STATE");
    agent = pb.start();
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
    List<Node> nodes =
        admin("node", "list", "-o", "json").ok().json(new TypeReference<List<Node>>() {});
    return nodes.stream().anyMatch(n -> n.name().equals(NODE) && "ready".equals(n.state()));
  }

  private Run cli(String token, String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("OCEAN_SERVER", server.url());
    env.put("OCEAN_TOKEN", token);
    env.put("XDG_CONFIG_HOME", dir.resolve("home").toString());
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

  @Override
  public void close() throws InterruptedException {
    if (agent != null) {
      agent.destroyForcibly();
      agent.waitFor(10, TimeUnit.SECONDS);
    }
    server.close();
  }
}
