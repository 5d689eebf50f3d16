package dev.ocean.cli.cluster;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Finds a Docker Engine API socket (Docker or Podman) on this machine that answers a ping. */
final class ContainerSocket {
  private ContainerSocket() {}

  /** The first answering socket as a {@code unix://} URL, or empty for the process runtime. */
  static Optional<String> find(Map<String, String> env) {
    List<Path> candidates = new ArrayList<>();
    String dockerHost = env.get("DOCKER_HOST");
    if (dockerHost != null && dockerHost.startsWith("unix://")) {
      candidates.add(Path.of(dockerHost.substring("unix://".length())));
    }
    candidates.add(Path.of("/var/run/docker.sock"));
    if (env.get("XDG_RUNTIME_DIR") != null) {
      candidates.add(Path.of(env.get("XDG_RUNTIME_DIR"), "podman", "podman.sock"));
    }
    candidates.add(Path.of("/run/podman/podman.sock"));
    return candidates.stream()
        .filter(Files::exists)
        .filter(ContainerSocket::answers)
        .map(p -> "unix://" + p.toAbsolutePath())
        .findFirst();
  }

  /** Whether the engine at a {@code unix://} URL answers a ping (another scheme: assumed so). */
  static boolean answers(String url) {
    return !url.startsWith("unix://") || answers(Path.of(url.substring("unix://".length())));
  }

  private static boolean answers(Path socket) {
    CompletableFuture<Boolean> ping =
        CompletableFuture.supplyAsync(
            () -> {
              try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(
                    ByteBuffer.wrap(
                        "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer answer = ByteBuffer.allocate(64);
                ch.read(answer);
                String head =
                    new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
                return head.startsWith("HTTP/1.") && head.contains(" 200");
              } catch (IOException e) {
                return false;
              }
            });
    try {
      return ping.get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      ping.cancel(true);
      return false;
    }
  }
}
