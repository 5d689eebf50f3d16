package dev.ocean.agent.work;

import static dev.ocean.agent.runtime.PollUntil.poll;

import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.runtime.AdoptedRun;
import dev.ocean.agent.runtime.RunRuntime;
import dev.ocean.agent.runtime.SpoolLogSink;
import dev.ocean.agent.runtime.process.ProcessRuntime;
import dev.ocean.common.api.job.Assignment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the work loop tests share: a fake server, a state directory, a storage root and loops over a
 * {@link ProcessRuntime}, all torn down (leftover processes killed) after each test.
 */
abstract class WorkLoopHarness {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final WorkTiming FAST =
      new WorkTiming(
          Duration.ofSeconds(1),
          Duration.ofMillis(200),
          Duration.ofMillis(50),
          Duration.ofMillis(200),
          Duration.ofSeconds(2),
          Duration.ofMillis(50));

  @TempDir Path state;
  @TempDir Path storage;
  FakeOceanServer server;
  private final List<WorkLoop> loops = new ArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = new FakeOceanServer();
  }

  @AfterEach
  void stopEverything() {
    loops.forEach(WorkLoop::close);
    try (ProcessRuntime leftovers = new ProcessRuntime(runtimeDir())) {
      leftovers.recover(id -> null).stream()
          .filter(AdoptedRun::running)
          .forEach(run -> leftovers.stop(run.runId(), Duration.ZERO));
    }
    server.close();
  }

  /** A started loop over a process runtime in this test's state directory. */
  WorkLoop startLoop() {
    return startLoop(new ProcessRuntime(runtimeDir()));
  }

  WorkLoop startLoop(RunRuntime runtime) {
    WorkApi api =
        new WorkApi(
            AgentDaemon.agentClient(server.url(), FakeOceanServer.CREDENTIAL),
            Duration.ofSeconds(5));
    WorkLoop loop = new WorkLoop(api, runtime, state, storage, FAST);
    return track(loop).start();
  }

  /** Closes {@code loop} after the test. */
  WorkLoop track(WorkLoop loop) {
    loops.add(loop);
    return loop;
  }

  Path runtimeDir() {
    return state.resolve("runs");
  }

  Path spool(String runId) {
    return SpoolLogSink.fileOf(state.resolve("spool"), runId);
  }

  /** An assignment of run {@code runId} ({@code JOB-INDEX}) running {@code argv}. */
  static Assignment assignment(String runId, String volumePath, String... argv) {
    return assignment(runId, volumePath, Map.of(), argv);
  }

  static Assignment assignment(
      String runId, String volumePath, Map<String, String> env, String... argv) {
    String[] parts = runId.split("-");
    return new Assignment(
        runId,
        Long.parseLong(parts[0]),
        Integer.parseInt(parts[1]),
        "busybox",
        List.of(argv),
        env,
        volumePath,
        1,
        256,
        List.of(),
        1,
        null);
  }

  /** Waits until the server holds the run in {@code state}. */
  void awaitState(String runId, String wanted) {
    poll(WAIT, runId + " is " + wanted, () -> wanted.equals(server.state(runId)));
  }

  /** Waits until the server's copy of the run's log contains {@code text}. */
  void awaitLog(String runId, String text) {
    poll(
        WAIT,
        "the server has '" + text + "' of " + runId,
        () -> server.logText(runId).contains(text));
  }
}
