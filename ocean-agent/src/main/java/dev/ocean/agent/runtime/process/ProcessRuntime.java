package dev.ocean.agent.runtime.process;

import dev.ocean.agent.runtime.AdoptedRun;
import dev.ocean.agent.runtime.LogSink;
import dev.ocean.agent.runtime.RunHandle;
import dev.ocean.agent.runtime.RunRuntime;
import dev.ocean.agent.runtime.RunRuntimeException;
import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.common.files.FileTrees;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Runs each run as a plain process group on a bare-metal node (no container engine): the argv is
 * executed directly, in the volume directory, with {@code CUDA_VISIBLE_DEVICES} set to the run's
 * GPUs, and its stdout and stderr appended by the kernel to the run's spool file, so output keeps
 * flowing while the agent is down. CPU and memory limits are not enforced here.
 *
 * <p>Each run is launched as {@code setsid /bin/sh -c WRAPPER ocean-run EXIT_FILE ARGV...} ({@code
 * ocean-run} is the shell's {@code $0}: the name its own errors, such as a missing program, show in
 * the run's log). The wrapper is this runtime's only use of a shell and its text is a constant: the
 * user's argv reach it as positional parameters and are executed with {@code exec "$@"}, never
 * parsed. It exists to write the exit code to {@code <state>/<runId>.exit}, which a restarted agent
 * cannot learn otherwise, and it ignores SIGTERM itself (children get the default) so it survives a
 * stop long enough to record how the run ended. {@code setsid} makes the wrapper's pid the run's
 * process group, which {@link #stop} signals as a whole, grandchildren included.
 */
public final class ProcessRuntime implements RunRuntime {

  static final String WRAPPER =
      "trap : HUP INT TERM; f=$1; shift; exec 3>&2 2>/dev/null; (exec \"$@\" 2>&3 3>&-); s=$?;"
          + " echo \"$s\" > \"$f\"; exit \"$s\"";

  private static final String SETSID =
      Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid" : "setsid";

  private final Path stateDir;
  private final RunAs runAs;
  private final Path scratchRoot;
  private final Map<String, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();

  /**
   * A runtime that keeps its run records, exit files and scratch directories in {@code stateDir}.
   */
  public ProcessRuntime(Path stateDir) {
    this(stateDir, RunAs.agentUser(), defaultScratch(stateDir));
  }

  /**
   * A runtime that runs jobs as {@code runAs} says, with their HOME (when they have no volume) in a
   * per-run folder under {@code scratchRoot}, which must lie outside the agent's state directory.
   */
  public ProcessRuntime(Path stateDir, RunAs runAs, Path scratchRoot) {
    this.stateDir = stateDir;
    this.runAs = runAs;
    this.scratchRoot = scratchRoot;
    try {
      Files.createDirectories(stateDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create state directory " + stateDir, e);
    }
  }

  /** A scratch root outside any state directory, one per runtime state directory. */
  public static Path defaultScratch(Path stateDir) {
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "ocean-scratch-" + Integer.toHexString(stateDir.toAbsolutePath().normalize().hashCode()));
  }

  @Override
  public RuntimeInfo probe() {
    return new RuntimeInfo(RuntimeInfo.PROCESS, runAs.refusal(), RuntimeInfo.HANDOFF_ENV, null);
  }

  /**
   * Starts the run.
   *
   * @param sink must be file-backed ({@link LogSink#file()}), e.g. a {@code SpoolLogSink}; the
   *     process appends to that file directly
   */
  @Override
  public RunHandle start(RunSpec spec, LogSink sink) {
    String runId = spec.runId();
    Path spool =
        sink.file()
            .orElseThrow(
                () -> new IllegalArgumentException("process runs need a file-backed sink"));
    if (spec.instance() != null) {
      throw new RunRuntimeException(
          "instances need a container runtime; this node runs jobs as plain processes"
              + " (ocean-agent join --runtime docker)");
    }
    if (spec.argv().isEmpty()) {
      throw new RunRuntimeException("run " + runId + " has no command to run");
    }
    if (runAs.refusal() != null) {
      throw new RunRuntimeException(runAs.refusal());
    }
    try {
      // HOME and the working folder: the volume, or a scratch folder; never in the state
      // directory, where the node's credential lies.
      boolean ownWorkDir = spec.volumeDir() == null;
      Path workDir = ownWorkDir ? scratchRoot.resolve(runId) : spec.volumeDir();
      Files.createDirectories(workDir);
      if (ownWorkDir || Files.getOwner(workDir).getName().equals("root")) {
        runAs.own(workDir);
      }
      Path exitFile = exitFile(runId);
      Files.deleteIfExists(exitFile);
      List<String> command =
          new ArrayList<>(List.of(SETSID, "/bin/sh", "-c", WRAPPER, "ocean-run"));
      command.add(exitFile.toString());
      command.addAll(runAs.prefix());
      command.addAll(spec.argv());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(spool.toFile()));
      environment(builder.environment(), spec, workDir);
      builder.environment().put(RunTag.VAR, RunTag.of(stateDir, runId));
      sink.close(); // the kernel appends from now on
      Process process = builder.start();
      ProcessHandle handle = process.toHandle();
      new RunRecord(
              runId,
              spec.jobId(),
              spec.runIndex(),
              handle.pid(),
              handle.info().startInstant().orElse(Instant.EPOCH),
              workDir,
              ownWorkDir)
          .store(stateDir);
      CompletableFuture<Integer> exit =
          process.onExit().thenApply(p -> recordExit(runId, p.exitValue()));
      exits.put(runId, exit);
      return new RunHandle(runId, exit);
    } catch (IOException e) {
      throw new RunRuntimeException("cannot start run " + runId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void stop(String runId, Duration grace) {
    try {
      Path file = RunRecord.fileOf(stateDir, runId);
      if (!Files.exists(file)) {
        return;
      }
      RunRecord run = RunRecord.load(file);
      ProcessHandle process = run.liveProcess().orElse(null);
      String tag = RunTag.of(stateDir, runId);
      if (process != null) {
        long asked = System.nanoTime();
        ProcessGroup.awaitLaunched(process, grace);
        ProcessGroup.signal(run.pid(), "TERM");
        RunTag.signal(tag, false); // and those that left the group (setsid)
        Duration left = grace.minusNanos(System.nanoTime() - asked);
        ProcessGroup.waitFor(process, left.isNegative() ? Duration.ZERO : left);
        ProcessGroup.signal(run.pid(), "KILL"); // whatever is left, stray grandchildren included
        ProcessGroup.waitFor(process, Duration.ofSeconds(10));
      }
      RunTag.signal(tag, true);
      CompletableFuture<Integer> exit = exits.get(runId);
      if (exit != null) {
        exit.get(10, TimeUnit.SECONDS); // the exit code is on disk once this completes
      }
    } catch (IOException | ExecutionException | TimeoutException e) {
      throw new RunRuntimeException("cannot stop run " + runId + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunRuntimeException("interrupted while stopping run " + runId, e);
    }
  }

  /**
   * Finds earlier runs from their records; {@code sinks} is not needed, the spool grows by itself.
   */
  @Override
  public List<AdoptedRun> recover(Function<String, LogSink> sinks) {
    List<AdoptedRun> adopted = new ArrayList<>();
    try (Stream<Path> files = Files.list(stateDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".run")).sorted().toList()) {
        RunRecord run;
        try {
          run = RunRecord.load(file);
        } catch (NoSuchFileException gone) {
          continue; // its run ended and was cleaned up between the listing and this read
        }
        ProcessHandle process = run.liveProcess().orElse(null);
        CompletableFuture<Integer> exit;
        if (process != null && readExit(run.runId()) == null) {
          exit = process.onExit().thenApply(p -> exitCodeAfterRestart(run.runId()));
        } else {
          exit = CompletableFuture.completedFuture(exitCodeAfterRestart(run.runId()));
        }
        exits.put(run.runId(), exit);
        adopted.add(
            new AdoptedRun(
                run.runId(),
                run.jobId(),
                run.runIndex(),
                !exit.isDone(),
                new RunHandle(run.runId(), exit)));
      }
    } catch (IOException e) {
      throw new RunRuntimeException("cannot read run records in " + stateDir + ": " + e, e);
    }
    return adopted;
  }

  @Override
  public void remove(String runId) {
    try {
      Path file = RunRecord.fileOf(stateDir, RunSpec.requireValidRunId(runId));
      if (Files.exists(file)) {
        RunRecord run = RunRecord.load(file);
        RunTag.signal(RunTag.of(stateDir, runId), true); // what outlived the run's end
        if (run.ownWorkDir()) {
          FileTrees.delete(run.workDir());
        }
      }
      Files.deleteIfExists(exitFile(runId));
      Files.deleteIfExists(file);
      exits.remove(runId);
    } catch (IOException e) {
      throw new RunRuntimeException("cannot remove run " + runId + ": " + e.getMessage(), e);
    }
  }

  /** Nothing to release: processes run on and are found again by {@link #recover}. */
  @Override
  public void close() {
    exits.clear();
  }

  private static void environment(Map<String, String> env, RunSpec spec, Path workDir) {
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    String lang = env.get("LANG");
    env.clear(); // the agent's own environment is not the run's business
    env.put("PATH", path);
    env.put("HOME", workDir.toString());
    if (lang != null) {
      env.put("LANG", lang);
    }
    env.putAll(spec.env());
    env.put("CUDA_VISIBLE_DEVICES", spec.gpuList());
  }

  private int recordExit(String runId, int wrapperExit) {
    Integer written = readExit(runId);
    if (written != null) {
      return written;
    }
    try { // the wrapper itself was killed (SIGKILL after the grace): keep its code for a restart
      Files.writeString(exitFile(runId), wrapperExit + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return wrapperExit;
  }

  private int exitCodeAfterRestart(String runId) {
    Integer code = readExit(runId);
    return code == null ? EXIT_UNKNOWN : code;
  }

  private Integer readExit(String runId) {
    try {
      String text = Files.readString(exitFile(runId)).strip();
      return text.isEmpty() ? null : Integer.valueOf(text);
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  private Path exitFile(String runId) {
    return stateDir.resolve(runId + ".exit");
  }
}
