package dev.ocean.agent.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.docker.PodmanFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Reaching a port inside a real container that publishes nothing and has no network but its own
 * loopback: the engine's exec runs {@code nc} there and its hijacked stdin/stdout carry the bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerExecPortOpenerTest {
  private static final String CONTAINER = "ocean-exec-port-test";

  private PodmanFixture podman;
  private DockerExecPortOpener opener;

  @BeforeAll
  void startContainer() throws Exception {
    podman = PodmanFixture.start();
    podman.output(
        "run",
        "-d",
        "--name",
        CONTAINER,
        "--network",
        "none",
        PodmanFixture.IMAGE,
        "sh",
        "-c",
        "mkdir -p /www && echo hello-from-inside > /www/index.html && exec httpd -f -p 8080 -h"
            + " /www");
    opener =
        new DockerExecPortOpener(
            podman.dockerHost(),
            runId -> CONTAINER,
            port -> List.of("/bin/nc", "127.0.0.1", Integer.toString(port)));
  }

  @AfterAll
  void stop() throws Exception {
    if (podman != null) {
      podman.podman("rm", "-f", CONTAINER);
      podman.close();
    }
  }

  @Test
  void anHttpServerInsideTheContainerAnswersThroughTheExec() throws Exception {
    String answer = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (answer == null || !answer.contains("hello-from-inside")) {
      assertTrue(System.nanoTime() < deadline, "httpd answers: " + answer);
      answer = get(8080);
    }
    assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
  }

  @Test
  void anUnknownContainerIsRefusedWithTheEnginesWords() {
    var wrong =
        new DockerExecPortOpener(
            podman.dockerHost(), runId -> "no-such-container", DockerExecPortOpener.OCEAN_NC);
    IOException e = assertThrows(IOException.class, () -> wrong.open("1-0.1", 22));
    assertTrue(
        e.getMessage().startsWith("the container engine refused to reach port 22: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("no-such-container"), e.getMessage());
  }

  @Test
  void aPortNothingListensOnEndsTheStreamAtOnce() throws Exception {
    assertEquals("", get(9999));
  }

  private String get(int port) throws IOException {
    try (PortOpener.Connection c = opener.open("1-0.1", port)) {
      c.output().write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      c.output().flush();
      return new String(c.input().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
