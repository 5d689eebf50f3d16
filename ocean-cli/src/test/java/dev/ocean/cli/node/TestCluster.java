package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.cli.Cli;
import dev.ocean.cli.base.CliContext;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.json.Json;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real server in-process for the node tests (port 0, its own data directory, a movable clock,
 * lost after 3 s, heartbeats every second) with an admin and a plain user, and the {@code ocean}
 * CLI run in-process against it.
 */
final class TestCluster implements AutoCloseable {
  static final String ADMIN = "admin@example.com";
  static final String PASSWORD = "Sea-Water-42!";
  static final ObjectMapper JSON = Json.newMapper();

  /** What one CLI run printed and returned. */
  record Run(int exit, String out, String err) {
    Run ok() {
      assertEquals(0, exit, () -> "exit " + exit + "; stdout: " + out + "; stderr: " + err);
      return this;
    }

    <T> T json(TypeReference<T> type) {
      try {
        return JSON.readValue(out, type);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out, e);
      }
    }
  }

  final MutableClock clock = new MutableClock();
  final OceanServer server;
  final String adminToken;
  final String userToken;
  private final Path home;

  TestCluster(Path dir) throws IOException {
    home = dir.resolve("home");
    server =
        OceanServer.start(
            new ServerConfig(dir.resolve("server"))
                .host("127.0.0.1")
                .port(0)
                .bcryptCost(4)
                .clock(clock)
                .nodeLostAfter(Duration.ofSeconds(3))
                .heartbeatSeconds(1)
                .adminEmail(ADMIN)
                .adminPassword(PASSWORD),
            new PrintStream(new ByteArrayOutputStream()));
    adminToken = server.users().login(ADMIN, PASSWORD, "127.0.0.1").token();
    server.users().signup("ada@example.com", PASSWORD);
    userToken = server.users().login("ada@example.com", PASSWORD, "127.0.0.1").token();
  }

  String url() {
    return server.url();
  }

  /** Runs {@code ocean ARGS} in-process as the admin. */
  Run admin(String... args) {
    return cli(adminToken, args);
  }

  /** Runs {@code ocean ARGS} in-process as the plain user. */
  Run user(String... args) {
    return cli(userToken, args);
  }

  Run cli(String token, String... args) {
    return cli(Map.of(), token, args);
  }

  /** Runs {@code ocean ARGS} in-process with {@code token} and {@code more} in its environment. */
  Run cli(Map<String, String> more, String token, String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("OCEAN_SERVER", url());
    env.put("OCEAN_TOKEN", token);
    env.putAll(more);
    env.put("XDG_CONFIG_HOME", home.toString());
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

  /** A fresh single-use join token, as {@code ocean admin node token -q} prints it. */
  String joinToken(String ttl) {
    return joinToken(ttl, 1);
  }

  /** A fresh join token for {@code uses} nodes. */
  String joinToken(String ttl, int uses) {
    return admin("admin", "node", "token", "--ttl", ttl, "--uses", String.valueOf(uses), "-q")
        .ok()
        .out()
        .strip();
  }

  List<Node> nodes() {
    return admin("node", "list", "-o", "json").ok().json(new TypeReference<List<Node>>() {});
  }

  /** The node's state, or null when it is not listed. */
  String stateOf(String name) {
    return nodes().stream()
        .filter(n -> n.name().equals(name))
        .map(Node::state)
        .findFirst()
        .orElse(null);
  }

  @Override
  public void close() {
    server.close();
  }
}
