package dev.ocean.cli.cluster;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.Health;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.OceanClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Waiting, bounded, for the programs {@code ocean up} starts: their logs and their answers. */
final class Startup {
  static final Duration READY_WITHIN = Duration.ofSeconds(120);

  private Startup() {}

  /**
   * Refuses, before the server is started, a port another program listens on: the server would only
   * exit saying so in its log (exit 5, naming the flag that moves it).
   */
  static void requireFree(String host, int port) {
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress(host, port));
    } catch (java.net.BindException e) {
      throw new CliException(
          ExitCodes.CONFLICT,
          "port "
              + port
              + " on "
              + host
              + " is in use by another program; start the cluster on another one with `ocean up"
              + " --port P`");
    } catch (IOException e) {
      // not ours to judge (an address of another machine, say): the server will tell
    }
  }

  static boolean healthy(String url) {
    try {
      OceanClient.forUser(url, null)
          .withReadTimeout(Duration.ofSeconds(2))
          .get("/health", Health.class);
      return true;
    } catch (OceanClientException e) {
      return false;
    }
  }

  /** Polls {@code probe} until it answers, {@code process} exits or the time is up. */
  static <T> T await(String what, Supplier<T> probe, Process process, Path log) {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      if (process != null && !process.isAlive()) {
        throw new CliException(
            ExitCodes.ERROR,
            "gave up waiting for "
                + what
                + ": it exited with "
                + process.exitValue()
                // the line's own full stop would run into "; see" (".;")
                + lastLine(log).map(l -> " after saying: " + l.replaceAll("[.]+$", "")).orElse("")
                + "; see "
                + log);
      }
      try {
        Thread.sleep(100); // a poll interval, not a wait for something to happen
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCodes.ERROR, "interrupted");
      }
    }
    throw new CliException(
        ExitCodes.ERROR,
        "gave up waiting for " + what + " after " + READY_WITHIN.toSeconds() + " s; see " + log);
  }

  static Optional<String> lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return Optional.of(lines.get(i).strip());
        }
      }
    } catch (IOException e) {
      // the log is only a hint here
    }
    return Optional.empty();
  }

  static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  static Optional<String> lineFrom(Path log, long from, String marker) {
    try {
      if (!Files.exists(log)) {
        return Optional.empty();
      }
      byte[] all = Files.readAllBytes(log);
      String text =
          new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from));
      return text.lines().filter(l -> l.contains(marker)).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The address a client on this machine reaches a server listening on {@code listen} at. */
  static String clientHost(String listen) {
    return switch (listen) {
      case "0.0.0.0", "::", "[::]" -> "127.0.0.1";
      default -> listen.contains(":") && !listen.startsWith("[") ? "[" + listen + "]" : listen;
    };
  }
}
