package dev.ocean.agent.cmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ocean.agent.daemon.Agent;
import dev.ocean.common.api.node.RuntimeInfo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that joins with the default docker runtime on a machine without a container engine says
 * right away that it cannot run jobs and what to do (QA F3b), instead of a silent "joined".
 */
class JoinRuntimeWarningTest {
  @TempDir Path dir;

  @Test
  void aDockerNodeWithoutAnEngineIsToldItCannotRunJobsAndHowToFixIt() {
    String socket = "unix://" + dir.resolve("no-docker.sock");
    String warning = JoinCommand.cannotRunJobs("docker", Agent.probe("docker", socket, null));
    assertEquals(
        "Warning: this node joined but cannot run jobs yet: "
            + Agent.probe("docker", socket, null).problem()
            + "; start Docker or Podman (--docker-host URL names its socket), or join with"
            + " --runtime process.",
        warning);
  }

  @Test
  void aNodeThatCanRunJobsGetsNoWarning() {
    assertNull(
        JoinCommand.cannotRunJobs(
            "docker", new RuntimeInfo(RuntimeInfo.DOCKER, null, RuntimeInfo.HANDOFF_NONE, null)));
  }
}
