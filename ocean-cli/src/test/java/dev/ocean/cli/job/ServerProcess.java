package dev.ocean.cli.job;

import dev.ocean.cli.node.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ocean-server} as a real OS process on a fixed port and data directory, so a test can kill
 * it with SIGKILL and start it again where clients and agents expect it.
 */
final class ServerProcess {
  private final JavaProcesses processes;
  private final Path data;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String name;
  private final List<String> extraArgs;
  private Process process;
  private int starts;
  private String label;

  ServerProcess(JavaProcesses processes, Path data) {
    this(processes, data, "server");
  }

  /** A server whose logs are {@code NAME-N.log}, started with {@code extraArgs} (e.g. --db). */
  ServerProcess(JavaProcesses processes, Path data, String name, String... extraArgs) {
    this.processes = processes;
    this.data = data;
    this.port = freePort();
    this.name = name;
    this.extraArgs = List.of(extraArgs);
  }

  /** What the server printed since its last start. */
  String log() {
    return label == null ? "" : processes.log(label);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  Path storage() {
    return data.resolve("storage");
  }

  /** Starts the server and waits until it answers its health check. */
  ServerProcess start() throws IOException {
    String label = name + "-" + ++starts;
    this.label = label;
    List<String> args =
        new ArrayList<>(
            List.of(
                "--port", String.valueOf(port), "--data", data.toString(), "--host", "127.0.0.1"));
    args.addAll(extraArgs);
    process =
        processes.start(
            label,
            Map.of(
                "OCEAN_ADMIN_EMAIL", JobCluster.ADMIN, "OCEAN_ADMIN_PASSWORD", JobCluster.PASSWORD),
            "dev.ocean.server.Main",
            args.toArray(String[]::new));
    Poll.check(
        Duration.ofSeconds(60),
        "the server answers on " + url() + "; its log:\n" + processes.log(label),
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("the server exited: " + processes.log(label));
          }
          return healthy();
        });
    return this;
  }

  /** Kills the server as {@code kill -9} would, and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the server did not die");
    }
  }

  private boolean healthy() {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url() + "/api/v1/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
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
}
