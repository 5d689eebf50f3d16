package dev.ocean.agent.work;

import static dev.ocean.agent.runtime.PollUntil.poll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.facts.FakeNvidiaSmi;
import dev.ocean.agent.facts.NodeFingerprint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat carries the instance runs with direct traffic, and a container engine that is slow
 * to give the counters never holds heartbeats back: its late answer goes with a later one.
 */
class HeartbeatActivityTest extends WorkLoopHarness {

  @Test
  void aHangingMeasurementDelaysNoHeartbeatAndItsLateAnswerIsReported() throws Exception {
    CountDownLatch engineAnswers = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
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
    try (AgentDaemon daemon =
        new AgentDaemon(config, state, NodeFingerprint.ofThisMachine(FakeNvidiaSmi.env("rtx4090")))
            .reportActivityWith(
                () -> {
                  if (calls.incrementAndGet() == 1) {
                    try {
                      engineAnswers.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                  return List.of("7-0.1");
                })
            .start()) {
      poll(
          Duration.ofSeconds(30),
          "heartbeats go on while the engine hangs",
          () -> server.heartbeats().size() >= 3);
      assertTrue(
          server.heartbeats().stream().allMatch(List::isEmpty), server.heartbeats().toString());

      engineAnswers.countDown();
      poll(
          Duration.ofSeconds(30),
          "a heartbeat names the run",
          () -> server.heartbeats().contains(List.of("7-0.1")));
    }
  }
}
