package dev.ocean.agent.runtime.docker;

import static dev.ocean.agent.runtime.PollUntil.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.agent.runtime.SpoolLogSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's log copy of a container run does not depend on the engine ever answering a log
 * follow: Podman sometimes never answers {@code /logs?follow=1} for a container that already exited
 * (seen on CI), or stops sending a stream it began. A real Podman service sits behind a proxy that
 * does exactly that; the run must still end with its exit code and its whole log, each line once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogFollowStallTest {

  private PodmanFixture podman;
  private StallingLogsProxy proxy;
  private DockerRuntime runtime;
  @TempDir Path dir;
  @TempDir Path spool;
  @TempDir Path volume;

  @BeforeAll
  void startPodman() throws Exception {
    podman = PodmanFixture.start();
  }

  @AfterAll
  void stopPodman() throws Exception {
    if (podman != null) {
      podman.close();
    }
  }

  @BeforeEach
  void startProxyAndAgent() throws IOException {
    proxy = StallingLogsProxy.start(podman.socket(), dir);
    String agent = "agent-" + UUID.randomUUID().toString().substring(0, 8);
    DockerOptions options =
        DockerOptions.defaults(agent).withNetworkMode("host").withLogDriver("k8s-file");
    runtime = new DockerRuntime(DockerEngineClient.unixSocket(proxy.socket()), options);
  }

  @AfterEach
  void stopProxyAndAgent() throws IOException {
    runtime.close();
    proxy.close();
  }

  @Test
  @Timeout(120)
  void aFollowRequestThatIsNeverAnsweredStillEndsTheRunWithItsExitCodeAndWholeLog()
      throws Exception {
    proxy.stallFollows();
    String script = "i=0; while [ $i -lt 300 ]; do echo line $i; i=$((i+1)); done; exit 4";

    int exit = runtime.start(spec("1-0", script), sink("1-0")).await();

    assertEquals(4, exit);
    assertEquals(lines(0, 300), spooled("1-0"));
    assertTrue(proxy.stalled() >= 1, "the engine's follow answer was held back");
  }

  @Test
  @Timeout(120)
  void aFollowStreamThatFallsSilentLosesAndRepeatsNoLine() throws Exception {
    String script =
        "i=0; while [ $i -lt 20 ]; do"
            + "  [ $i = 10 ] && until [ -e go ]; do sleep 0.05; done;"
            + "  echo line $i; i=$((i+1));"
            + " done; printf 'no newline'; exit 6";
    var handle = runtime.start(spec("2-0", script).withVolumeDir(volume), sink("2-0"));
    poll(Duration.ofSeconds(60), "ten lines followed", () -> spooled("2-0").equals(lines(0, 10)));

    proxy.stallFollows(); // the follow stream brings nothing more, nor its end
    Files.createFile(volume.resolve("go"));

    assertEquals(6, handle.await());
    assertEquals(lines(0, 20) + "no newline", spooled("2-0"));
    assertTrue(proxy.stalled() >= 1, "the engine's follow stream was held back");
  }

  @Test
  @Timeout(120)
  void aQuietJobThatTakesItsTimeToStopKeepsTheLinesItWritesWhileStopping() throws Exception {
    // silent for longer than the watchdog's grace while the engine says it is stopping
    String script =
        "trap 'sleep 8; echo bye; exit 0' TERM; echo hi; while true; do sleep 0.1; done";
    var handle = runtime.start(spec("3-0", script), sink("3-0"));
    poll(Duration.ofSeconds(60), "first line followed", () -> spooled("3-0").equals("hi\n"));

    runtime.stop("3-0", Duration.ofSeconds(30));

    assertEquals(0, handle.await());
    assertEquals("hi\nbye\n", spooled("3-0"));
  }

  private static String lines(int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(i -> "line " + i + "\n")
        .collect(Collectors.joining());
  }

  private static RunSpec spec(String runId, String script) {
    return RunSpec.of(runId, 42, 0, PodmanFixture.IMAGE, List.of("sh", "-c", script));
  }

  private SpoolLogSink sink(String runId) {
    try {
      return SpoolLogSink.open(spool, runId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String spooled(String runId) {
    try {
      Path file = SpoolLogSink.fileOf(spool, runId);
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
