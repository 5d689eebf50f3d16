package dev.ocean.agent.work;

import static dev.ocean.agent.runtime.PollUntil.poll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.daemon.Agent;
import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.facts.FakeNvidiaSmi;
import dev.ocean.agent.facts.NodeFingerprint;
import dev.ocean.agent.runtime.process.ProcessRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A node removed with {@code --force} while a run is on it: once the server refuses its credential
 * the agent stops that run before it exits, so nothing keeps running orphaned.
 */
class NodeRemovedStopsRunsTest extends WorkLoopHarness {

  @Test
  void agentStopsItsRunsWhenTheServerNoLongerKnowsTheNode() throws Exception {
    Path pidFile = storage.resolve("pid");
    WorkApi api =
        new WorkApi(
            AgentDaemon.agentClient(server.url(), FakeOceanServer.CREDENTIAL),
            Duration.ofSeconds(5));
    WorkLoop loop = new WorkLoop(api, new ProcessRuntime(runtimeDir()), state, storage, FAST);
    AgentConfig config =
        new AgentConfig(
            server.url(),
            "n1",
            FakeOceanServer.CREDENTIAL,
            "process",
            null,
            null,
            1,
            null,
            null,
            null,
            null,
            null,
            null);
    AgentDaemon daemon =
        new AgentDaemon(
            config,
            state,
            NodeFingerprint.ofThisMachine(FakeNvidiaSmi.env("rtx4090")),
            loop::runtimeHealth,
            loop::stopAll);
    Agent agent = new Agent(daemon, loop).start();
    try {
      server.assign(
          assignment("1-0", null, "sh", "-c", "echo $$ > " + pidFile + "; exec sleep 300"));
      awaitState("1-0", "running");
      poll(WAIT, "the run wrote its pid", () -> Files.exists(pidFile) && size(pidFile) > 0);
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

      server.remove();

      assertTrue(agent.awaitExit().contains("ocean-agent join --state-dir"));
      poll(
          Duration.ofSeconds(20),
          "the run's process is gone",
          () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    } finally {
      agent.close();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
