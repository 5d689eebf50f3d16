package dev.ocean.cli.durability;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.node.Poll;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.client.OceanClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ocean-server} and {@code ocean-agent} as real OS processes on this test JVM's class path:
 * the server on a fixed port and data directory so it can be killed with SIGKILL and started again
 * where the agent and clients expect it. Each process logs to {@code logs/LABEL.log}.
 */
final class CrashingServer implements AutoCloseable {
  static final String ADMIN = "admin@ocean.test";
  static final String PASSWORD = "Sea-Sh3ll!s";
  private static final List<String> JVM =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "-Xmx256m",
          "-Xss512k",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1");

  private final Path dir;
  private final int port = freePort();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> started = new ArrayList<>();
  private Process server;
  private int starts;

  CrashingServer(Path dir) {
    this.dir = dir;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  Path data() {
    return dir.resolve("data");
  }

  /** Starts the server and waits until its health check answers 200. */
  void start() throws IOException, InterruptedException {
    String label = "server-" + ++starts;
    server =
        java(
            label,
            Map.of("OCEAN_ADMIN_EMAIL", ADMIN, "OCEAN_ADMIN_PASSWORD", PASSWORD),
            "dev.ocean.server.Main",
            "--port",
            String.valueOf(port),
            "--data",
            data().toString(),
            "--host",
            "127.0.0.1");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!healthy()) {
      if (!server.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the server did not come up; its log:\n" + log(label));
      }
      Thread.sleep(50);
    }
  }

  /**
   * Logs the admin in, defines machine type {@code cpu1} (1 CPU) and image {@code host}, grants the
   * admin {@code quota} cpu1 and joins a real agent (process runtime) as {@code node1}.
   */
  OceanClient setUp(int quota) throws Exception {
    Session s =
        OceanClient.forUser(url(), null)
            .post("/auth/login", new Credentials(ADMIN, PASSWORD), Session.class);
    OceanClient admin =
        OceanClient.forUser(url(), s.token()).withReadTimeout(Duration.ofSeconds(30));
    admin.post(
        "/machine-types",
        new MachineType.Create("cpu1", 1, 1, 0, null, null, null),
        MachineType.class);
    admin.post("/images", new Image.Create("host", "host", null, null), Image.class);
    admin.post("/admin/quotas", new Quota.Grant(ADMIN, "cpu1", quota, 1), Quota.class);
    String token =
        admin.post("/admin/join-tokens", new JoinToken.Create("1h", 10), JoinToken.class).token();
    java(
        "agent",
        Map.of(),
        "dev.ocean.agent.Main",
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
        data().resolve("storage").toString(),
        "--heartbeat",
        "1");
    Poll.check(
        Duration.ofSeconds(90),
        "the agent joins; its log:\n" + log("agent"),
        () ->
            admin.get("/nodes", new TypeReference<List<Node>>() {}).stream()
                .anyMatch(n -> n.state().equals("ready")));
    return admin;
  }

  /** SIGKILL, as a power cut or the OOM killer would. */
  void kill() throws InterruptedException {
    server.destroyForcibly();
    if (!server.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the server did not die");
    }
  }

  /** Starts {@code java MAIN ARGS} with {@code env} added to a clean environment. */
  Process java(String label, Map<String, String> env, String main, String... args)
      throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add(ProcessHandle.current().info().command().orElseThrow());
    argv.addAll(JVM);
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(main);
    argv.addAll(List.of(args));
    Files.createDirectories(dir.resolve("logs"));
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(label).toFile()));
    Map<String, String> all = new HashMap<>(System.getenv());
    all.keySet().removeIf(k -> k.startsWith("OCEAN_"));
    all.putAll(env);
    pb.environment().clear();
    pb.environment().putAll(all);
    Process p = pb.start();
    synchronized (started) {
      started.add(p);
    }
    return p;
  }

  String log(String label) {
    try {
      Path f = logFile(label);
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private Path logFile(String label) {
    return dir.resolve("logs").resolve(label + ".log");
  }

  boolean healthy() {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create(url() + "/api/v1/health"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    synchronized (started) {
      for (Process p : started) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      for (Process p : started) {
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
