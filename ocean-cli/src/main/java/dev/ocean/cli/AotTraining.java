package dev.ocean.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.base.Config;
import dev.ocean.common.files.FileTrees;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The training run of the release's AOT cache ({@code lib/cli/ocean.aot}, JEP 483/514): the dist
 * build starts {@code bin/ocean} with {@code -Docean.aot.training=true} and {@code
 * -XX:AOTCacheOutput}, and this runs the commands users run most against a stub server on a
 * loopback port, so the classes they load and link are in the cache. What it prints is thrown away;
 * a command that fails only trains less.
 */
final class AotTraining {
  private static final String JOB =
      """
      {"id":1,"name":"train","user":"train@example.com","machineType":"cpu.small","image":"host",
       "command":["sh","-c","echo hi"],"env":{"A":"b"},"repeat":1,"parallel":1,"state":"pending",
       "createdAt":"2026-01-01T00:00:00Z","retries":0,
       "runs":[{"index":0,"state":"pending","gpus":[],"createdAt":"2026-01-01T00:00:00Z",
                "queuePosition":1,"waitReason":"no node is READY","attempt":1}]}
      """;

  private AotTraining() {}

  static void run() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/jobs", AotTraining::jobs);
    server.start();
    Path config = Files.createTempDirectory("ocean-aot-training");
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      Map<String, String> env = Map.of("XDG_CONFIG_HOME", config.toString(), "NO_COLOR", "1");
      CliContext ctx = context(env);
      Config.locate(ctx).save(new Config.Saved(url, "oc_training", "train@example.com", null));
      for (List<String> args :
          List.of(
              List.of("--version"),
              List.of("--help"),
              List.of("job", "submit", "--help"),
              List.of("job", "list"),
              List.of("job", "list", "--all"),
              List.of("-o", "json", "job", "list"),
              List.of("job", "get", "1"),
              List.of("job", "submit", "--name", "t", "--machine-type", "cpu.small"),
              List.of(
                  "job",
                  "submit",
                  "--name",
                  "t",
                  "--machine-type",
                  "cpu.small",
                  "--image",
                  "host",
                  "--env",
                  "A=b",
                  "--",
                  "sh",
                  "-c",
                  "echo hi"),
              List.of(
                  "-q",
                  "job",
                  "submit",
                  "--name",
                  "t",
                  "--machine-type",
                  "cpu.small",
                  "--image",
                  "host",
                  "--",
                  "true"),
              List.of("volume", "list"),
              List.of("job", "lsit"))) {
        Cli.run(context(env), args.toArray(String[]::new));
      }
    } finally {
      server.stop(0);
      FileTrees.delete(config);
    }
  }

  private static CliContext context(Map<String, String> env) {
    InputStream stdin = new ByteArrayInputStream(new byte[0]);
    return new CliContext(
        env,
        stdin,
        new PrintWriter(Writer.nullWriter()),
        new PrintWriter(Writer.nullWriter()),
        null,
        false);
  }

  /** A job list for GET, the submitted job for POST; anything else is not found. */
  private static void jobs(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String body;
    int status;
    if (path.equals("/api/v1/jobs")) {
      boolean post = exchange.getRequestMethod().equals("POST");
      exchange.getRequestBody().readAllBytes();
      body = post ? JOB : "[" + JOB + "," + JOB.replace("\"id\":1", "\"id\":2") + "]";
      status = post ? 201 : 200;
    } else if (path.equals("/api/v1/jobs/1")) {
      body = JOB;
      status = 200;
    } else {
      body = "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such thing\"}";
      status = 404;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .set("Content-Type", status == 404 ? "application/problem+json" : "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
