package dev.ocean.agent.runtime.process;

import static dev.ocean.agent.runtime.PollUntil.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.AdoptedRun;
import dev.ocean.agent.runtime.LogSink;
import dev.ocean.agent.runtime.RunHandle;
import dev.ocean.agent.runtime.RunRuntime;
import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.agent.runtime.SpoolLogSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRuntimeTest {

  @TempDir Path state;
  @TempDir Path spool;
  @TempDir Path volume;
  private ProcessRuntime runtime;

  @AfterEach
  void stopLeftovers() {
    runtime().recover(id -> null).stream()
        .filter(AdoptedRun::running)
        .forEach(run -> runtime().stop(run.runId(), Duration.ZERO));
  }

  @Test
  void anInstanceIsRefusedWithTheReason() throws Exception {
    RunSpec instance =
        spec("9-0", "true")
            .withInstance(
                new dev.ocean.common.api.instance.InstanceSpec("box", "a@b", List.of(), "pw"));
    var e =
        assertThrows(
            dev.ocean.agent.runtime.RunRuntimeException.class,
            () -> runtime().start(instance, sink("9-0")));
    assertTrue(e.getMessage().contains("instances need a container runtime"), e.getMessage());
  }

  @Test
  void exitCodesZeroAndThreeAreReported() throws Exception {
    assertEquals(0, runtime().start(spec("1-0", "true"), sink("1-0")).await());
    assertEquals(3, runtime().start(spec("1-1", "sh", "-c", "exit 3"), sink("1-1")).await());
  }

  @Test
  void runSeesJobVariablesAndExactlyItsGpus() throws Exception {
    String script =
        "echo job=$OCEAN_JOB_ID run=$OCEAN_RUN_INDEX cuda=[${CUDA_VISIBLE_DEVICES-unset}]";
    assertEquals(0, runtime().start(spec("2-0", "sh", "-c", script), sink("2-0")).await());
    assertEquals("job=42 run=0 cuda=[]\n", spooled("2-0"));

    RunSpec withGpus = spec("2-1", "sh", "-c", script).withGpus(List.of(0, 2));
    assertEquals(0, runtime().start(withGpus, sink("2-1")).await());
    assertEquals("job=42 run=0 cuda=[0,2]\n", spooled("2-1"));
  }

  @Test
  void workingDirectoryIsTheVolume() throws Exception {
    Files.writeString(volume.resolve("input.txt"), "from host\n");
    RunSpec spec = spec("3-0", "sh", "-c", "pwd; cat input.txt; echo back > output.txt");
    assertEquals(0, runtime().start(spec.withVolumeDir(volume), sink("3-0")).await());
    assertEquals(volume.toRealPath() + "\nfrom host\n", spooled("3-0"));
    assertEquals("back\n", Files.readString(volume.resolve("output.txt")));
  }

  @Test
  void runWithoutVolumeGetsAScratchDirectoryThatRemoveDeletes() throws Exception {
    assertEquals(
        0, runtime().start(spec("3-1", "sh", "-c", "pwd; touch here"), sink("3-1")).await());
    Path scratch = Path.of(spooled("3-1").strip());
    assertTrue(Files.exists(scratch.resolve("here")), "ran in " + scratch);
    runtime().remove("3-1");
    assertFalse(Files.exists(scratch));
    assertTrue(runtime().recover(id -> null).isEmpty());
  }

  @Test
  void stdoutAndStderrBothLandInTheSpool() throws Exception {
    String script = "echo to-out; echo to-err >&2; printf no-newline";
    assertEquals(0, runtime().start(spec("4-0", "sh", "-c", script), sink("4-0")).await());
    assertEquals("to-out\nto-err\nno-newline", spooled("4-0"));
  }

  @Test
  void argvIsPassedLiterallyWithoutAShell() throws Exception {
    RunSpec spec =
        spec("5-0", "printf", "%s\\n", "a b", "\"quoted\"", "$(echo injected)", "*", "it's", "");
    assertEquals(0, runtime().start(spec, sink("5-0")).await());
    assertEquals("a b\n\"quoted\"\n$(echo injected)\n*\nit's\n\n", spooled("5-0"));
  }

  @Test
  void shellBuiltinNamesRunThePrograms() throws Exception {
    // "exit" is a special builtin of the wrapper shell; the user's argv must not reach it
    RunSpec spec = spec("5-1", "sh", "-c", "exit 4");
    assertEquals(4, runtime().start(spec, sink("5-1")).await());
    assertEquals(127, runtime().start(spec("5-2", "exit", "0"), sink("5-2")).await());
  }

  @Test
  void aMissingProgramsLogNamesTheProgramNotTheAgentsFiles() throws Exception {
    assertEquals(127, runtime().start(spec("5-3", "/nonexistent/bin"), sink("5-3")).await());
    String log = spooled("5-3");
    assertTrue(log.contains("/nonexistent/bin: not found"), log);
    assertFalse(log.contains(".exit"), log);
    assertFalse(log.contains(state.toString()), log);
  }

  @Test
  void stopKillsTheWholeProcessGroupIncludingGrandchildren() throws Exception {
    String script = "trap '' TERM; sleep 300 & echo $! > grandchild.pid; wait";
    RunHandle handle =
        runtime().start(spec("6-0", "sh", "-c", script).withVolumeDir(volume), sink("6-0"));
    Path pidFile = volume.resolve("grandchild.pid");
    poll(Duration.ofSeconds(10), "grandchild started", () -> read(pidFile).endsWith("\n"));
    long grandchild = Long.parseLong(read(pidFile).strip());
    assertTrue(ProcessHandle.of(grandchild).isPresent());

    long started = System.nanoTime();
    runtime().stop("6-0", Duration.ofMillis(500)); // both ignore TERM: KILL after the grace
    assertEquals(137, handle.exitCode().get(5, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());
    poll(Duration.ofSeconds(5), "grandchild gone", () -> ProcessHandle.of(grandchild).isEmpty());
  }

  @Test
  void stopAlsoKillsAProcessThatLeftTheRunsProcessGroup() throws Exception {
    String script = "setsid sleep 303 & echo $! > \"$1\"; exec sleep 300";
    RunHandle handle =
        runtime().start(spec("6-5", "sh", "-c", script, "sh", pidFile()), sink("6-5"));
    long escaped = escapedPid();
    runtime().stop("6-5", Duration.ofSeconds(5));
    handle.await();
    poll(
        Duration.ofSeconds(10),
        "the setsid process is gone",
        () -> ProcessHandle.of(escaped).filter(ProcessHandle::isAlive).isEmpty());
  }

  @Test
  void removeKillsWhatOutlivedTheRunsEnd() throws Exception {
    String script = "setsid sleep 304 & echo $! > \"$1\"";
    assertEquals(
        0, runtime().start(spec("6-6", "sh", "-c", script, "sh", pidFile()), sink("6-6")).await());
    long escaped = escapedPid();
    assertTrue(ProcessHandle.of(escaped).isPresent(), "setsid took it out of the group");
    runtime().remove("6-6");
    poll(
        Duration.ofSeconds(10),
        "the setsid process is gone",
        () -> ProcessHandle.of(escaped).filter(ProcessHandle::isAlive).isEmpty());
  }

  private String pidFile() {
    return volume.resolve("escaped.pid").toString();
  }

  private long escapedPid() throws IOException {
    Path file = volume.resolve("escaped.pid");
    poll(
        Duration.ofSeconds(10),
        "the run wrote escaped.pid",
        () -> {
          try {
            return Files.exists(file) && Files.readString(file).endsWith("\n");
          } catch (IOException e) {
            return false;
          }
        });
    return Long.parseLong(Files.readString(file).strip());
  }

  @Test
  void aStoppedRunsLogEndsWithItsOwnOutputNotTheWrappersSignalNotice() throws Exception {
    RunHandle handle =
        runtime().start(spec("6-1", "sh", "-c", "echo started; exec sleep 300"), sink("6-1"));
    poll(Duration.ofSeconds(10), "started", () -> spooled("6-1").equals("started\n"));
    runtime().stop("6-1", Duration.ofSeconds(5));
    assertEquals(143, handle.exitCode().get(10, TimeUnit.SECONDS));
    assertEquals("started\n", spooled("6-1"));
  }

  @Test
  void stopWithGraceLetsTheRunExitOnTerm() throws Exception {
    RunHandle handle = runtime().start(spec("6-1", "sleep", "300"), sink("6-1"));
    runtime().stop("6-1", Duration.ofSeconds(30));
    assertEquals(143, handle.exitCode().get(5, TimeUnit.SECONDS));
  }

  @Test
  void restartedAgentAdoptsARunningProcessAndLearnsItsExitCode() throws Exception {
    String script = "echo before; until [ -e go ]; do sleep 0.05; done; echo after; exit 7";
    runtime().start(spec("7-0", "sh", "-c", script).withVolumeDir(volume), sink("7-0"));
    poll(Duration.ofSeconds(10), "first line", () -> spooled("7-0").equals("before\n"));
    runtime.close(); // the agent goes down
    runtime = null;

    List<AdoptedRun> adopted = runtime().recover(id -> null);
    assertEquals(1, adopted.size());
    AdoptedRun run = adopted.getFirst();
    assertEquals(
        List.of("7-0", 42L, 0, true),
        List.of(run.runId(), run.jobId(), run.runIndex(), run.running()));
    Files.createFile(volume.resolve("go"));
    assertEquals(7, run.handle().await());
    assertEquals("before\nafter\n", spooled("7-0"));
  }

  @Test
  void runThatExitedWhileTheAgentWasDownIsReportedFromItsExitFile() throws Exception {
    String script = "until [ -e go ]; do sleep 0.05; done; echo done; exit 9";
    RunHandle handle =
        runtime().start(spec("8-0", "sh", "-c", script).withVolumeDir(volume), sink("8-0"));
    runtime.close();
    runtime = null;
    Files.createFile(volume.resolve("go"));
    poll(Duration.ofSeconds(10), "run ended", () -> handle.exitCode().isDone());

    List<AdoptedRun> adopted = runtime().recover(id -> null);
    assertEquals(1, adopted.size());
    assertFalse(adopted.getFirst().running());
    assertEquals(9, adopted.getFirst().exitCodeIfEnded());
    assertEquals("done\n", spooled("8-0"));
  }

  @Test
  void runWhoseProcessVanishedWithoutExitFileHasUnknownExitCode() throws Exception {
    new RunRecord(
            "9-0", 9, 0, ProcessHandle.current().pid(), java.time.Instant.EPOCH, volume, false)
        .store(state);
    AdoptedRun run = runtime().recover(id -> null).getFirst();
    assertFalse(run.running(), "same pid, other start time: not ours");
    assertEquals(RunRuntime.EXIT_UNKNOWN, run.exitCodeIfEnded());
  }

  @Test
  void aRecordThatVanishesWhileRecoveringIsSkippedNotFatal() throws IOException {
    // a run that ends while the agent lists its records deletes its file between the listing and
    // the read; a dangling link is that moment held still
    Files.createSymbolicLink(state.resolve("9-0.run"), state.resolve("gone"));
    assertEquals(List.of(), runtime().recover(id -> null));
  }

  @Test
  void sinkWithoutFileIsRefused() {
    LogSink memory =
        new LogSink() {
          public void append(byte[] b, int o, int l) {}

          public long size() {
            return 0;
          }

          public void flush() {}

          public void close() {}
        };
    assertThrows(
        IllegalArgumentException.class, () -> runtime().start(spec("10-0", "true"), memory));
  }

  private ProcessRuntime runtime() {
    if (runtime == null) {
      runtime = new ProcessRuntime(state);
    }
    return runtime;
  }

  private static RunSpec spec(String runId, String... argv) {
    return RunSpec.of(runId, 42, 0, "ignored", List.of(argv))
        .withEnv(Map.of("OCEAN_JOB_ID", "42", "OCEAN_RUN_INDEX", "0"));
  }

  private SpoolLogSink sink(String runId) {
    try {
      return SpoolLogSink.open(spool, runId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String spooled(String runId) {
    return read(SpoolLogSink.fileOf(spool, runId));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
