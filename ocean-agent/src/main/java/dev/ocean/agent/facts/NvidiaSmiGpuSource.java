package dev.ocean.agent.facts;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.GpuProcess;
import dev.ocean.common.api.node.GpuSample;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads NVIDIA GPUs by running the {@code nvidia-smi} found on {@code PATH}.
 *
 * <p>The environment is injected, so tests (and several agents on one machine) can point {@code
 * PATH} at a fake; the child gets exactly that environment. nvidia-smi runs from an argv list,
 * never through a shell, and is killed after a timeout, because a wedged driver can make it hang
 * for minutes and the agent must keep heartbeating. A missing tool, a non-zero exit or a timeout
 * means no GPUs: one warning is logged per distinct problem, not one per heartbeat.
 */
public final class NvidiaSmiGpuSource implements GpuSource {

  /** How long nvidia-smi may take before it is killed and the node counts as having no GPUs. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(NvidiaSmiGpuSource.class);
  private static final String EXECUTABLE = "nvidia-smi";
  private static final String FORMAT = "--format=csv,noheader,nounits";
  // nvidia-smi's answers are a few KiB; a cap keeps a misbehaving binary from filling the heap.
  private static final int MAX_OUTPUT_BYTES = 1 << 20;
  private static final long READ_GRACE_MS = 1_000;
  private static final int MAX_PROCESSES = 256;

  private final Map<String, String> env;
  private final Duration timeout;
  private volatile String problem;

  /** A source that looks nvidia-smi up on {@code env}'s {@code PATH}, with the default timeout. */
  public NvidiaSmiGpuSource(Map<String, String> env) {
    this(env, DEFAULT_TIMEOUT);
  }

  /** A source that looks nvidia-smi up on {@code env}'s {@code PATH} and waits {@code timeout}. */
  public NvidiaSmiGpuSource(Map<String, String> env, Duration timeout) {
    this.env = Map.copyOf(env);
    this.timeout = timeout;
  }

  /** The nvidia-smi that would run: the first executable one on {@code PATH}. */
  public Optional<Path> executable() {
    String path = env.get("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
      try {
        Path dirPath = Path.of(dir);
        // Empty and relative entries resolve against the working directory; a daemon running as
        // root must not execute whatever happens to lie there.
        if (!dirPath.isAbsolute()) {
          continue;
        }
        Path candidate = dirPath.resolve(EXECUTABLE);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      } catch (InvalidPathException e) {
        continue;
      }
    }
    return Optional.empty();
  }

  @Override
  public List<GpuInfo> detect() {
    Outcome gpus = run(gpuQuery());
    // A GPU that fell off the bus makes nvidia-smi exit non-zero, yet it still lists the others:
    // those stay usable, and the broken one is reported with nvidia-smi's message.
    List<GpuInfo> infos = NvidiaSmiParser.parseInfos(gpus.stdout());
    if (infos.isEmpty()) {
      return noGpus(gpus.ok() ? "nvidia-smi reported no GPUs" : gpus.problem());
    }
    return working(infos, gpus.problem());
  }

  @Override
  public List<GpuSample> sample() {
    Outcome gpus = run(gpuQuery());
    List<GpuSample> samples = NvidiaSmiParser.parseGpus(gpus.stdout());
    if (samples.isEmpty()) {
      return noGpus(gpus.ok() ? "nvidia-smi reported no GPUs" : gpus.problem());
    }
    Outcome apps =
        run(
            List.of(
                "--query-compute-apps=" + String.join(",", NvidiaSmiParser.APP_FIELDS), FORMAT));
    // When a broken GPU already fails the GPU query, the process query fails the same way yet
    // still lists the processes of the readable GPUs; only a failure of its own makes them unknown.
    boolean appsKnown = apps.ok() || !gpus.ok();
    Map<String, List<GpuProcess>> byGpu =
        appsKnown ? NvidiaSmiParser.parseApps(apps.stdout()) : Map.of();
    List<GpuSample> result = new ArrayList<>();
    for (GpuSample g : samples) {
      if (g.problem() != null) {
        result.add(g);
      } else if (!appsKnown) {
        // An empty process list would read as an idle GPU; say that it is unknown instead.
        result.add(g.withProblem("GPU processes unknown: " + apps.problem()));
      } else {
        List<GpuProcess> processes = byGpu.getOrDefault(g.uuid(), List.of());
        // the server takes at most 256 per GPU; a busier GPU shows its first ones
        processes = processes.subList(0, Math.min(MAX_PROCESSES, processes.size()));
        result.add(g.uuid() == null ? g : g.withProcesses(processes));
      }
    }
    return working(result, gpus.problem());
  }

  @Override
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  private static List<String> gpuQuery() {
    return List.of("--query-gpu=" + String.join(",", NvidiaSmiParser.GPU_FIELDS), FORMAT);
  }

  private <T> List<T> noGpus(String why) {
    if (!why.equals(problem)) {
      log.warn("No GPUs: {}", why);
    }
    problem = why;
    return List.of();
  }

  private <T> List<T> working(List<T> gpus, String partly) {
    if (partly != null) {
      if (!partly.equals(problem)) {
        log.warn("Some GPUs unreadable: {}", partly);
      }
    } else if (problem != null) {
      log.info("nvidia-smi works again: {} GPUs", gpus.size());
    }
    problem = partly;
    return gpus;
  }

  private Outcome run(List<String> args) {
    Optional<Path> exe = executable();
    if (exe.isEmpty()) {
      return Outcome.failed("nvidia-smi not found on PATH");
    }
    List<String> argv = new ArrayList<>();
    argv.add(exe.get().toString());
    argv.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return Outcome.failed("nvidia-smi could not be started: " + e.getMessage());
    }
    try {
      process.getOutputStream().close();
      // Both pipes are drained while waiting, or a chatty process would block on a full pipe.
      FutureTask<String> stdout = drain(process.getInputStream());
      FutureTask<String> stderr = drain(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        return Outcome.failed("nvidia-smi did not answer within " + describe(timeout));
      }
      String out = stdout.get(READ_GRACE_MS, TimeUnit.MILLISECONDS);
      String err = stderr.get(READ_GRACE_MS, TimeUnit.MILLISECONDS);
      if (process.exitValue() != 0) {
        // The output is kept: nvidia-smi still lists the GPUs it could read.
        return new Outcome(
            out, "nvidia-smi exited with status " + process.exitValue() + firstLine(out, err));
      }
      return new Outcome(out, null);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      return Outcome.failed("interrupted while waiting for nvidia-smi");
    } catch (IOException | ExecutionException | TimeoutException e) {
      kill(process);
      return Outcome.failed("could not read nvidia-smi's output: " + e);
    }
  }

  private static FutureTask<String> drain(InputStream in) {
    FutureTask<String> task =
        new FutureTask<>(
            () -> {
              try (in) {
                byte[] head = in.readNBytes(MAX_OUTPUT_BYTES);
                in.transferTo(OutputStream.nullOutputStream());
                return new String(head, UTF_8);
              }
            });
    Thread.ofVirtual().name("nvidia-smi-output").start(task);
    return task;
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** The tool's own explanation, e.g. "NVIDIA-SMI has failed because ...", if it gave one. */
  private static String firstLine(String stdout, String stderr) {
    for (String text : List.of(stdout, stderr)) {
      for (String line : text.split("\\R")) {
        if (!line.isBlank()) {
          String s = line.strip();
          return ": " + (s.length() > 300 ? s.substring(0, 300) + "…" : s);
        }
      }
    }
    return "";
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** What one run of nvidia-smi gave: its output, or why there is none. */
  private record Outcome(String stdout, String problem) {
    static Outcome failed(String problem) {
      return new Outcome("", problem);
    }

    boolean ok() {
      return problem == null;
    }
  }
}
