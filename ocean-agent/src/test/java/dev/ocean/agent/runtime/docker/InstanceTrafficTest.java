package dev.ocean.agent.runtime.docker;

import static dev.ocean.agent.runtime.PollUntil.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.agent.runtime.SpoolLogSink;
import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.common.api.instance.InstanceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Direct connections to an instance's published port show in the next activity sample, measured
 * from the container's network counters in a real (Podman) engine; a quiet instance shows in none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstanceTrafficTest {
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir Path dir;
  private PodmanFixture podman;
  private String image;

  @BeforeAll
  void startPodman() throws Exception {
    podman = PodmanFixture.start();
    image = SshdImage.build(podman);
  }

  @AfterAll
  void stopPodman() throws Exception {
    if (podman != null) {
      podman.close();
    }
  }

  /**
   * On the engine's bridge network, and on slirp4netns (what an instance gets on Podman when the
   * agent reaches the server at a loopback URL, and what rootless Podman uses).
   */
  @ParameterizedTest
  @ValueSource(strings = {"http://ocean.example:8080", "http://127.0.0.1:8080"})
  void trafficToThePublishedEditorPortNamesTheRunAndQuietNamesNothing(String server)
      throws Exception {
    String agent = "agent-" + UUID.randomUUID().toString().substring(0, 8);
    try (DockerRuntime runtime =
        new DockerRuntime(
            DockerEngineClient.forHost(podman.dockerHost()),
            DockerOptions.defaults(agent)
                .withNetworkMode("host")
                .withInstances(InstanceOptions.of("127.0.0.1", null, dir.resolve("init"))))) {
      RunSpec spec =
          RunSpec.of("301-0", 301, 0, image, List.of())
              .withEnv(java.util.Map.of("OCEAN_SERVER", server))
              .withInstance(new InstanceSpec("busy", "ann@example.com", List.of(), "pw"));
      String name = runtime.containerName("301-0");
      runtime.start(spec, SpoolLogSink.open(dir.resolve("spool-" + name), "301-0"));
      try {
        poll(START, "endpoints", () -> runtime.endpoints("301-0").isPresent());
        InstanceEndpoints at = runtime.endpoints("301-0").orElseThrow();
        poll(START, "the editor answers", () -> request(at).isPresent());
        String network = podman.output("inspect", "-f", "{{.HostConfig.NetworkMode}}", name);
        assertEquals(server.contains("127.0.0.1"), network.contains("slirp4netns"), network);
        runtime.activeRuns(); // the baseline
        Thread.sleep(500); // an interval without connections, like one between heartbeats
        assertEquals(List.of(), runtime.activeRuns(), "nobody connected: nothing is active");

        long answered = 0;
        for (int i = 0; i < 40; i++) {
          answered += request(at).orElse(0L);
        }
        assertTrue(answered > InstanceTraffic.THRESHOLD_BYTES, "answered " + answered);
        assertEquals(List.of("301-0"), runtime.activeRuns(), "the connection counts");
        assertEquals(List.of(), runtime.activeRuns(), "and only until the next sample");
      } finally {
        runtime.stop("301-0", Duration.ZERO);
        runtime.remove("301-0");
      }
    }
  }

  /** One HTTP request on a fresh connection to the editor port; the bytes of its answer. */
  private static Optional<Long> request(InstanceEndpoints at) {
    try (Socket s = new Socket(at.address(), at.editorPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET / HTTP/1.0\r\nHost: x\r\nUser-Agent: " + "x".repeat(200) + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      long n = in.transferTo(OutputStream.nullOutputStream());
      return n > 0 ? Optional.of(n + 250) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
