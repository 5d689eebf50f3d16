package dev.ocean.agent.work;

import static dev.ocean.agent.runtime.PollUntil.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.docker.DockerEngineClient;
import dev.ocean.agent.runtime.docker.DockerOptions;
import dev.ocean.agent.runtime.docker.DockerRuntime;
import dev.ocean.common.api.node.RuntimeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An agent whose Docker/Podman socket is missing: it says so, fails the runs it is given with that
 * reason instead of leaving them assigned, and ends cancelled ones.
 */
class RuntimeDownWorkLoopTest extends WorkLoopHarness {

  private DockerRuntime missingEngine() {
    return new DockerRuntime(
        DockerEngineClient.forHost("unix://" + state.resolve("no-such-docker.sock")),
        DockerOptions.defaults("n1"));
  }

  @Test
  void probeSaysTheEngineDoesNotAnswer() {
    try (DockerRuntime runtime = missingEngine()) {
      RuntimeInfo health = runtime.probe();

      assertEquals(RuntimeInfo.DOCKER, health.kind());
      assertTrue(
          health.problem().contains("no-such-docker.sock does not answer"), health.problem());
      assertEquals(RuntimeInfo.HANDOFF_NONE, health.gpuHandoff());
    }
  }

  @Test
  void runGivenToANodeWithoutItsEngineFailsWithTheEnginesReason() {
    startLoop(missingEngine());

    server.assign(assignment("1-0", null, "true"));

    awaitState("1-0", "failed");
    List<String> reports = server.reports("1-0");
    assertEquals(1, reports.size(), reports.toString());
    assertTrue(reports.getFirst().startsWith("failed null "), reports.toString());
    assertTrue(reports.getFirst().contains("does not answer"), reports.toString());
  }

  @Test
  void cancelOfARunThatNeverStartedEndsIt() {
    startLoop(missingEngine());

    server.assign(assignment("2-0", null, "sleep", "60"));
    server.cancel("2-0");

    poll(WAIT, "2-0 ends", () -> List.of("failed", "cancelled").contains(server.state("2-0")));
  }
}
