package dev.ocean.agent.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.docker.DockerEngineClient;
import dev.ocean.agent.runtime.docker.DockerOptions;
import dev.ocean.agent.runtime.docker.DockerRuntime;
import dev.ocean.agent.runtime.docker.PodmanFixture;
import dev.ocean.common.api.job.Assignment;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Runs through the work loop end to end in real containers (a private Podman service). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerWorkLoopTest extends WorkLoopHarness {

  private PodmanFixture podman;

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

  private WorkLoop startDockerLoop() {
    String agent = "agent-" + UUID.randomUUID().toString().substring(0, 8);
    return startLoop(
        new DockerRuntime(
            DockerEngineClient.forHost(podman.dockerHost()),
            DockerOptions.defaults(agent).withNetworkMode("host")));
  }

  @Test
  void containerRunReportsItsLogAndExitCode() {
    server.assign(
        container(
            "21-0",
            "vol",
            Map.of("OCEAN_JOB_ID", "21"),
            "sh",
            "-c",
            "echo hi from $OCEAN_JOB_ID; pwd; exit 2"));
    startDockerLoop();

    awaitState("21-0", "failed");
    assertEquals("hi from 21\n/home/linuxbrew\n", server.logText("21-0"));
    assertEquals("failed 2 null log=27", server.reports("21-0").getLast());
  }

  @Test
  void missingImageFailsTheRunWithAReason() {
    Assignment a = container("22-0", null, Map.of(), "true");
    server.assign(
        new Assignment(
            a.runId(),
            a.jobId(),
            a.runIndex(),
            "localhost/no-such-image:1",
            a.command(),
            a.env(),
            null,
            0,
            0,
            List.of(),
            1,
            null));
    startDockerLoop();

    awaitState("22-0", "failed");
    String report = server.reports("22-0").getLast();
    assertTrue(report.startsWith("failed null ") && !report.startsWith("failed null null"), report);
  }

  private static Assignment container(
      String runId, String volumePath, Map<String, String> env, String... argv) {
    Assignment a = assignment(runId, volumePath, env, argv);
    return new Assignment(
        a.runId(),
        a.jobId(),
        a.runIndex(),
        PodmanFixture.IMAGE,
        a.command(),
        a.env(),
        volumePath,
        0,
        0,
        List.of(),
        1,
        null);
  }
}
