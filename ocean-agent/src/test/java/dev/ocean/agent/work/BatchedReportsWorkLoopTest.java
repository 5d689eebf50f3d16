package dev.ocean.agent.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.runtime.process.ProcessRuntime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Against a server that takes batches ({@code POST /agent/reports}), a run's reports go together,
 * with the poll when they can, and a short run's log goes with its end; nothing is lost, doubled or
 * reordered when a batch is refused.
 */
class BatchedReportsWorkLoopTest extends WorkLoopHarness {
  /** Logs ship every 30 s: a run ending before that takes its log along with its end report. */
  private static final WorkTiming SLOW_SHIPPING =
      new WorkTiming(
          FAST.pollWait(),
          Duration.ofSeconds(30),
          FAST.minBackoff(),
          FAST.maxBackoff(),
          FAST.stopGrace(),
          FAST.idlePause());

  @Test
  void aShortRunsLogGoesWithItsEndAndIsOnTheServerBeforeItEnds() {
    server.takeBatches();
    server.assign(assignment("1-0", null, "sh", "-c", "echo hello; echo world >&2; exit 3"));
    startSlowShippingLoop();

    awaitState("1-0", "failed");
    assertEquals("hello\nworld\n", server.logText("1-0"));
    assertEquals(
        List.of("running null null log=0", "failed 3 null log=12"),
        server.reports("1-0"),
        "the log was stored before the end, in the same report");
    assertEquals(0, server.logPosts(), "no request of its own for the log");
    assertTrue(server.batchPosts() <= 2, "running and the end: " + server.batchPosts());
  }

  @Test
  void aBatchRefusedWhileTheServerIsBusyIsSentAgainWithoutLosingOrDoublingAnything() {
    server.takeBatches();
    server.refuseBatches(2);
    server.assign(assignment("2-0", null, "sh", "-c", "echo once"));
    server.assign(assignment("2-1", null, "sh", "-c", "echo twice; exit 1"));
    startSlowShippingLoop();

    awaitState("2-0", "succeeded");
    awaitState("2-1", "failed");
    assertEquals(2, server.refused());
    assertEquals("once\n", server.logText("2-0"));
    assertEquals("twice\n", server.logText("2-1"));
    assertEquals(
        List.of("running null null log=0", "succeeded 0 null log=5"), server.reports("2-0"));
    assertEquals(List.of("running null null log=0", "failed 1 null log=6"), server.reports("2-1"));
  }

  @Test
  void aLongerRunShipsItsLogAsItGoesAndEndsAfterIt() {
    server.takeBatches();
    server.assign(assignment("3-0", null, "sh", "-c", "echo early; sleep 1; echo late"));
    startLoop(); // ships every 200 ms

    awaitState("3-0", "succeeded");
    assertEquals("early\nlate\n", server.logText("3-0"));
    assertEquals("succeeded 0 null log=11", server.reports("3-0").getLast());
    assertTrue(server.logPosts() >= 1, "the first line was shipped while the run went on");
  }

  @Test
  void reportsGoWithThePollAndOnlyARoundOfEndedRunsWaitsThereForWork() {
    server.takeBatches();
    server.assign(assignment("4-0", null, "true"));
    server.assign(assignment("4-1", null, "sh", "-c", "sleep 1; echo slept"));
    startSlowShippingLoop();
    awaitState("4-0", "succeeded");
    awaitState("4-1", "succeeded");
    server.assign(assignment("5-0", null, "true"));

    awaitState("5-0", "succeeded");
    assertTrue(server.pollsWithReports() >= 1, "reports rode a poll");
    assertEquals(
        0,
        server.longPollsWithOpenRuns(),
        "a poll carrying the running of a run that goes on asks for an answer at once");
    assertEquals("slept\n", server.logText("4-1"));
    assertEquals(
        List.of("running null null log=0", "succeeded 0 null log=0"), server.reports("5-0"));
  }

  private void startSlowShippingLoop() {
    WorkApi api =
        new WorkApi(
            AgentDaemon.agentClient(server.url(), FakeOceanServer.CREDENTIAL),
            Duration.ofSeconds(5));
    track(new WorkLoop(api, new ProcessRuntime(runtimeDir()), state, storage, SLOW_SHIPPING))
        .start();
  }
}
