package dev.ocean.agent.work;

import static dev.ocean.agent.runtime.PollUntil.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The work loop losing nothing and repeating nothing when the server or the agent goes away. */
class WorkLoopResilienceTest extends WorkLoopHarness {

  private static final String WAIT_FOR_GO = "while [ ! -f go ]; do sleep 0.05; done; ";

  @Test
  void reportsAndLogsArriveCompleteOnceTheServerComesBack() throws Exception {
    server.assign(assignment("1-0", "v", "sh", "-c", "echo one; " + WAIT_FOR_GO + "echo two"));
    startLoop();
    awaitLog("1-0", "one\n");

    server.unavailable(true);
    Files.writeString(storage.resolve("v/go"), "");
    poll(WAIT, "the run wrote all", () -> WorkLoopTest.sizeOf(spool("1-0")) == 8);
    int refusedBefore = server.refused();
    poll(WAIT, "the agent keeps trying", () -> server.refused() > refusedBefore + 5);
    assertEquals("running", server.state("1-0"));
    server.unavailable(false);

    awaitState("1-0", "succeeded");
    assertEquals("one\ntwo\n", server.logText("1-0"));
    assertEquals("succeeded 0 null log=8", server.reports("1-0").getLast());
  }

  @Test
  void serverDownAtStartDelaysTheRunButLosesNothing() {
    server.unavailable(true);
    server.assign(assignment("2-0", null, "sh", "-c", "echo hi; exit 4"));
    startLoop();
    int refusedBefore = server.refused();
    poll(WAIT, "the agent keeps polling", () -> server.refused() > refusedBefore + 3);

    server.unavailable(false);

    awaitState("2-0", "failed");
    assertEquals("hi\n", server.logText("2-0"));
    assertEquals(List.of("running null null log=0", "failed 4 null log=3"), server.reports("2-0"));
  }

  @Test
  void logGapMakesTheShipperAskForTheSizeAndGoOnWithoutDuplicates() throws Exception {
    server.assign(assignment("3-0", "v", "sh", "-c", "echo first; " + WAIT_FOR_GO + "echo second"));
    startLoop();
    awaitLog("3-0", "first\n");

    server.loseLogTail("3-0", 2);
    Files.writeString(storage.resolve("v/go"), "");

    awaitState("3-0", "succeeded");
    assertEquals("first\nsecond\n", server.logText("3-0"));
  }

  @Test
  void restartedLoopAdoptsTheRunningRunAndReportsItsExit() throws Exception {
    server.assign(
        assignment("4-0", "v", "sh", "-c", "echo before; " + WAIT_FOR_GO + "echo after; exit 5"));
    WorkLoop first = startLoop();
    awaitLog("4-0", "before\n");
    first.close();

    WorkLoop second = startLoop();
    assertEquals(java.util.Set.of("4-0"), second.activeRuns());
    Files.writeString(storage.resolve("v/go"), "");

    awaitState("4-0", "failed");
    assertEquals("before\nafter\n", server.logText("4-0"));
    assertEquals("failed 5 null log=13", server.reports("4-0").getLast());
    assertTrue(server.reports("4-0").stream().noneMatch(r -> r.startsWith("succeeded")));
  }

  @Test
  void restartedLoopReportsARunThatEndedWhileNoAgentWatched() throws Exception {
    server.assign(assignment("5-0", "v", "sh", "-c", "echo before; " + WAIT_FOR_GO + "echo after"));
    WorkLoop first = startLoop();
    awaitLog("5-0", "before\n");
    first.close();
    Files.writeString(storage.resolve("v/go"), "");
    poll(WAIT, "the run ended", () -> Files.exists(runtimeDir().resolve("5-0.exit")));

    startLoop();

    awaitState("5-0", "succeeded");
    assertEquals("before\nafter\n", server.logText("5-0"));
  }

  @Test
  void cancelledRunStaysCancelledWhenTheAgentRestartsBeforeReporting() throws Exception {
    server.assign(assignment("6-0", null, "sleep", "300"));
    WorkLoop first = startLoop();
    awaitState("6-0", "running");
    server.refuseReports(true);
    server.cancel("6-0");
    poll(WAIT, "the run was stopped", () -> Files.exists(runtimeDir().resolve("6-0.exit")));
    int refusedBefore = server.refused();
    poll(WAIT, "the agent tries to report", () -> server.refused() > refusedBefore);
    first.close();
    server.refuseReports(false);

    startLoop();

    awaitState("6-0", "cancelled");
    String report = server.reports("6-0").getLast();
    assertTrue(report.matches("cancelled 143 null log=\\d+"), report);
  }
}
