package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import dev.ocean.server.user.UserService.SignupMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real Ocean server on port 0 with its own data directory and a hand-moved clock, plus the people
 * who use it through the CLI, each with their own config directory.
 */
final class TestCluster implements AutoCloseable {
  static final String ADMIN = "admin@ocean.test";
  static final String PASSWORD = "Sea-Sh3ll!s";

  final TestClock clock = new TestClock(Instant.parse("2030-01-15T09:00:00Z"));
  final OceanServer server;
  private final Path dir;
  private final Map<String, Ocean> people = new HashMap<>();

  private TestCluster(Path dir, SignupMode mode, UnaryOperator<ServerConfig> more) {
    this.dir = dir;
    try {
      this.server =
          OceanServer.start(
              more.apply(
                  new ServerConfig(dir.resolve("data"))
                      .host("127.0.0.1")
                      .port(0)
                      .bcryptCost(4)
                      .clock(clock)
                      .signupMode(mode)
                      .adminEmail(ADMIN)
                      .adminPassword(PASSWORD)),
              new PrintStream(new ByteArrayOutputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TestCluster start(Path dir) {
    return new TestCluster(dir, SignupMode.OPEN, c -> c);
  }

  static TestCluster start(Path dir, SignupMode mode) {
    return new TestCluster(dir, mode, c -> c);
  }

  /** A cluster whose server has more settings, e.g. a node-loss time the moved clock never hits. */
  static TestCluster startWith(Path dir, UnaryOperator<ServerConfig> more) {
    return new TestCluster(dir, SignupMode.OPEN, more);
  }

  /** A cluster whose server serves HTTPS with this PEM certificate and key. */
  static TestCluster startWithTls(Path dir, Path cert, Path key) {
    return new TestCluster(dir, SignupMode.OPEN, c -> c.tlsCert(cert).tlsKey(key));
  }

  String url() {
    return server.url();
  }

  /** Where volumes are created. */
  Path storageRoot() {
    return dir.resolve("data").resolve("storage");
  }

  /** The person using this email address (logged in or not), with OCEAN_SERVER set. */
  Ocean as(String email) {
    return people.computeIfAbsent(
        email,
        e -> {
          try {
            Path home = Files.createDirectories(dir.resolve("people").resolve(e));
            return new Ocean(home).env("OCEAN_SERVER", url());
          } catch (IOException x) {
            throw new UncheckedIOException(x);
          }
        });
  }

  /** The bootstrap admin, logged in. */
  Ocean admin() {
    Ocean admin = as(ADMIN);
    if (admin.token() == null) {
      login(ADMIN);
    }
    return admin;
  }

  /** Signs a new user up with {@link #PASSWORD} and logs them in. */
  Ocean user(String email) {
    as(email).withStdin(PASSWORD + "\n", "signup", "--email", email, "--password-stdin").ok();
    return login(email);
  }

  Ocean login(String email) {
    Ocean o = as(email);
    o.withStdin(PASSWORD + "\n", "login", "--email", email, "--password-stdin").ok();
    return o;
  }

  /** The admin defines g1.small (4 CPU, 32 GiB, 1 GPU) and registers one image. */
  TestCluster withCatalog() {
    Ocean admin = admin();
    admin
        .ocean(
            "admin",
            "machine-type",
            "create",
            "g1.small",
            "--cpus",
            "4",
            "--memory",
            "32",
            "--gpus",
            "1")
        .ok();
    admin
        .ocean("admin", "image", "add", "pytorch", "pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime")
        .ok();
    assertEquals("g1.small", admin.ocean("machine-type", "list", "-q").out().strip());
    return this;
  }

  /** The admin grants {@code email} quota with {@code ocean admin quota grant}. */
  void grant(String email, String machineType, int count, int days) {
    admin()
        .ocean(
            "admin",
            "quota",
            "grant",
            email,
            "--machine-type",
            machineType,
            "--count",
            String.valueOf(count),
            "--days",
            String.valueOf(days))
        .ok();
  }

  @Override
  public void close() {
    server.close();
  }
}
