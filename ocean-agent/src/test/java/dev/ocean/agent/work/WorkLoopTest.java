package dev.ocean.agent.work;

import static dev.ocean.agent.runtime.PollUntil.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.job.Assignment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run's life through the work loop, against a fake server and the process runtime. */
class WorkLoopTest extends WorkLoopHarness {

  @Test
  void runReportsRunningThenItsWholeLogThenFailedWithItsExitCode() {
    server.assign(assignment("1-0", null, "sh", "-c", "echo hello; echo world >&2; exit 3"));
    WorkLoop loop = startLoop();

    awaitState("1-0", "failed");
    assertEquals("hello\nworld\n", server.logText("1-0"));
    assertEquals(List.of("running null null log=0", "failed 3 null log=12"), server.reports("1-0"));
    assertEquals("1", server.protocolHeader());
    poll(WAIT, "the run is forgotten", () -> loop.activeRuns().isEmpty());
    assertFalse(Files.exists(spool("1-0")), "the spool is deleted once shipped and reported");
    assertFalse(Files.exists(runtimeDir().resolve("1-0.run")), "the runtime removed the run");
  }

  @Test
  void runExitingZeroSucceeds() {
    server.assign(assignment("2-0", null, "true"));
    startLoop();

    awaitState("2-0", "succeeded");
    assertEquals("succeeded 0 null log=0", server.reports("2-0").getLast());
  }

  @Test
  void stopRequestKillsTheRunAndReportsCancelledWithItsExitCode() {
    server.assign(assignment("3-0", null, "sleep", "300"));
    startLoop();
    awaitState("3-0", "running");

    server.cancel("3-0");

    awaitState("3-0", "cancelled");
    String report = server.reports("3-0").getLast();
    assertTrue(report.matches("cancelled 143 null log=\\d+"), report);
  }

  @Test
  void stopRequestForARunNeverStartedReportsCancelledAtOnce() {
    server.assign(assignment("4-0", null, "sleep", "300"));
    server.cancel("4-0");
    startLoop();

    awaitState("4-0", "cancelled");
    assertEquals(List.of("cancelled null null log=0"), server.reports("4-0"));
  }

  @Test
  void runSeesItsJobVariablesAndWorksInItsVolume() throws Exception {
    String script = "echo $OCEAN_JOB_ID $OCEAN_RUN_INDEX $FOO; pwd; echo data > out.txt";
    server.assign(
        assignment(
            "7-2",
            "vols/alice",
            Map.of("OCEAN_JOB_ID", "7", "OCEAN_RUN_INDEX", "2", "FOO", "bar baz"),
            "sh",
            "-c",
            script));
    startLoop();

    awaitState("7-2", "succeeded");
    Path volume = storage.resolve("vols/alice").toRealPath();
    assertEquals("7 2 bar baz\n" + volume + "\n", server.logText("7-2"));
    assertEquals("data\n", Files.readString(volume.resolve("out.txt")));
  }

  @Test
  void volumeOutsideTheStorageRootFailsTheRunWithAReason() {
    server.assign(assignment("8-0", "../escape", "true"));
    startLoop();

    awaitState("8-0", "failed");
    String report = server.reports("8-0").getLast();
    assertTrue(report.startsWith("failed null volume path '../escape' is outside"), report);
    assertFalse(Files.exists(storage.resolveSibling("escape")));
  }

  @Test
  void runThatCannotStartFailsWithTheRuntimesReason() {
    server.assign(assignment("9-0", null));
    startLoop();

    awaitState("9-0", "failed");
    assertEquals(List.of("failed null run 9-0 has no command to run log=0"), server.reports("9-0"));
  }

  @Test
  void logLinesReachTheServerWhileTheRunIsStillRunning() {
    server.assign(
        assignment(
            "10-0",
            "v",
            "sh",
            "-c",
            "echo tick; while [ ! -f go ]; do sleep 0.05; done; echo tock"));
    startLoop();
    poll(WAIT, "the run printed", () -> sizeOf(spool("10-0")) > 0);
    long printed = System.nanoTime();

    awaitLog("10-0", "tick\n");
    long millis = (System.nanoTime() - printed) / 1_000_000;
    assertTrue(millis < 1000, "the line took " + millis + " ms to reach the server");
    assertEquals("running", server.state("10-0"));
  }

  @Test
  void bigOutputIsShippedInChunksCompleteAndInOrder() {
    server.assign(assignment("11-0", null, "sh", "-c", "seq 1 400000"));
    startLoop();

    awaitState("11-0", "succeeded");
    StringBuilder expected = new StringBuilder();
    for (int i = 1; i <= 400000; i++) {
      expected.append(i).append('\n');
    }
    assertEquals(expected.toString(), server.logText("11-0"));
    assertTrue(
        server.logPosts() >= expected.length() / LogShipper.CHUNK + 1,
        expected.length() + " bytes need chunks of at most " + LogShipper.CHUNK);
  }

  @Test
  void repeatedAssignmentsStartARunOnlyOnce() throws Exception {
    server.assign(assignment("12-0", "v", "sh", "-c", "echo once >> runs.txt"));
    startLoop();
    awaitState("12-0", "succeeded");
    server.assign(assignment("12-0", "v", "sh", "-c", "echo once >> runs.txt"));
    server.assign(assignment("12-1", null, "true"));

    awaitState("12-1", "succeeded");
    assertEquals("once\n", Files.readString(storage.resolve("v/runs.txt")));
    assertEquals(1, server.reports("12-0").stream().filter(r -> r.startsWith("running")).count());
  }

  @Test
  void aRequeuedRunsNextAttemptRunsAgainButARepeatOfAFinishedAttemptDoesNot() throws Exception {
    Assignment first = assignment("13-0", "v", "sh", "-c", "echo ran >> runs.txt");
    server.assign(first);
    startLoop();
    awaitState("13-0", "succeeded");
    server.assign(first);
    server.assign(
        new Assignment(
            first.runId(),
            first.jobId(),
            first.runIndex(),
            first.image(),
            first.command(),
            first.env(),
            first.volumePath(),
            first.cpus(),
            first.memoryMib(),
            first.gpus(),
            2,
            null));
    awaitState("13-0", "succeeded");
    dev.ocean.agent.runtime.PollUntil.poll(
        java.time.Duration.ofSeconds(10),
        "the second attempt ran",
        () -> readOrEmpty(storage.resolve("v/runs.txt")).equals("ran\nran\n"));
    server.assign(first);
    server.assign(assignment("13-1", null, "true"));
    awaitState("13-1", "succeeded");
    assertEquals("ran\nran\n", Files.readString(storage.resolve("v/runs.txt")));
  }

  private static String readOrEmpty(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
