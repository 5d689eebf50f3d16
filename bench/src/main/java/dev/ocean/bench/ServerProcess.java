package dev.ocean.bench;

import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.node.JoinToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code ocean-server} process started through the distribution's launcher (so its JVM flags
 * are the ones users get) on a free loopback port, with an admin, machine type {@code g1} (1 CPU, 1
 * GiB, 1 GPU), image {@code busybox} and a large quota for the admin.
 */
final class ServerProcess implements AutoCloseable {
  static final String EMAIL = "bench@example.com";
  static final String PASSWORD = "Bench-pass-1!";
  private static final Pattern SERVING = Pattern.compile("serving on (https?://\\S+?):(\\d+)");

  final Process process;
  final String url;
  final Http http;
  final String adminAuth;

  /** The server's database, for {@link RunCounts}. */
  final String jdbcUrl;

  private final Path storage;

  private ServerProcess(Process process, String url, String jdbcUrl, Path storage) {
    this.process = process;
    this.storage = storage;
    this.jdbcUrl = jdbcUrl;
    this.url = url;
    this.http = new Http(url);
    Session s = http.post(null, "/auth/login", new Credentials(EMAIL, PASSWORD), Session.class);
    this.adminAuth = "Bearer " + s.token();
  }

  /**
   * Starts a server with data under {@code dir} on {@code dbUrl} (null: SQLite in the data dir).
   */
  /** The server's volume storage root, which a real agent on this machine joins with. */
  Path storage() {
    return storage;
  }

  static ServerProcess start(Path dist, Path dir, String dbUrl) throws IOException {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>();
    cmd.add(dist.resolve("bin/ocean-server").toString());
    cmd.addAll(
        List.of("--port", "0", "--host", "127.0.0.1", "--data", dir.resolve("data").toString()));
    if (dbUrl != null) {
      cmd.addAll(List.of("--db", dbUrl));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OCEAN_ADMIN_EMAIL", EMAIL);
    pb.environment().put("OCEAN_ADMIN_PASSWORD", PASSWORD);
    String jfr = System.getProperty("bench.jfr");
    if (jfr != null) {
      String opts = System.getenv().getOrDefault("OCEAN_JAVA_OPTS", "");
      pb.environment()
          .put(
              "OCEAN_JAVA_OPTS",
              opts
                  + " -XX:StartFlightRecording=filename="
                  + jfr
                  + ",settings="
                  + System.getProperty("bench.jfrSettings", "profile"));
    }
    Process p = pb.start();
    // a benchmark stopped early (Ctrl-C) leaves no server behind
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
    Path log = dir.resolve("server.log");
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  var out = Files.newBufferedWriter(log)) {
                for (String line; (line = r.readLine()) != null; ) {
                  out.write(line);
                  out.newLine();
                  out.flush();
                  Matcher m = SERVING.matcher(line);
                  if (m.find()) {
                    url.complete("http://127.0.0.1:" + m.group(2));
                  }
                }
              } catch (IOException e) {
                url.completeExceptionally(e);
              }
              url.completeExceptionally(new IllegalStateException("server exited; see " + log));
            });
    try {
      String jdbc =
          dbUrl != null
              ? dbUrl
              : "jdbc:sqlite:" + dir.resolve("data").resolve("ocean.db").toAbsolutePath();
      ServerProcess s =
          new ServerProcess(
              p, url.get(120, TimeUnit.SECONDS), jdbc, dir.resolve("data").resolve("storage"));
      s.setUp();
      return s;
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException("the server did not start (" + log + "): " + e, e);
    }
  }

  private void setUp() {
    http.post(
        adminAuth,
        "/machine-types",
        new MachineType.Create("g1", 1, 1, 1, null, null, null),
        Void.class);
    http.post(
        adminAuth,
        "/images",
        new Image.Create("busybox", "busybox:latest", null, null),
        Void.class);
  }

  /** Grants the admin {@code units} more of {@code g1} (quotas add up; one grant holds 1,000). */
  void grant(int units) {
    for (int left = units; left > 0; left -= 1000) {
      http.post(
          adminAuth,
          "/admin/quotas",
          new Quota.Grant(EMAIL, "g1", Math.min(1000, left), 30),
          Void.class);
    }
  }

  /** A join token for up to 1,000 nodes. */
  String joinToken() {
    return http.post(
            adminAuth, "/admin/join-tokens", new JoinToken.Create("1h", 1000), JoinToken.class)
        .token();
  }

  /**
   * A read-only view of this server's run counts, waiting {@code waitSeconds} at most; close it.
   */
  RunCounts runCounts(int waitSeconds) throws java.sql.SQLException {
    return new RunCounts(jdbcUrl, waitSeconds);
  }

  long pid() {
    return process.pid();
  }

  /** Resident memory in MiB, from /proc. */
  double rssMib() {
    return Proc.rssMib(process.pid());
  }

  /** User plus system CPU seconds the process used so far, from /proc. */
  double cpuSeconds() {
    return Proc.cpuSeconds(process.pid());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
