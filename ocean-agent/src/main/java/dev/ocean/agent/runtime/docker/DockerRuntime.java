package dev.ocean.agent.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocean.agent.runtime.AdoptedRun;
import dev.ocean.agent.runtime.LogSink;
import dev.ocean.agent.runtime.RunHandle;
import dev.ocean.agent.runtime.RunRuntime;
import dev.ocean.agent.runtime.RunRuntimeException;
import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.common.api.node.RuntimeInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each run as a container through the Docker Engine API (Docker, or Podman's compatible
 * service): pulls the image when missing, creates the container with the run's limits, GPUs, volume
 * and labels, streams its output into the run's sink and reports its exit code.
 *
 * <p>Containers are named {@code ocean-<agent>-<runId>} and labelled {@code ocean.run-id}, {@code
 * ocean.job-id}, {@code ocean.run-index}, {@code ocean.agent}, so a restarted agent finds them
 * again. They stay after they exit until {@link #remove}. An instance run ({@link
 * RunSpec#instance()}) runs Ocean's init with its ports published ({@link Instances}); its host
 * ports stay reserved until it is removed, also across an agent restart.
 *
 * <p>No duplicate and no lost output across a restart: the log stream is always read from the
 * container's first byte, and the first {@code sink.size() - offset} payload bytes are skipped,
 * where {@code offset} ({@code ocean.spool-offset} label) is what the sink held when the container
 * was created. Byte counting rather than the API's {@code since} timestamps, because timestamps
 * have one-second (Podman) or per-line resolution and cannot split a line that was half written,
 * while the count is exact whatever the agent managed to write before it died.
 */
public final class DockerRuntime implements RunRuntime {

  private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);

  private final DockerEngineClient engine;
  private final DockerOptions options;
  private final Instances instances;
  private final InstanceTraffic traffic;
  private final LogCopier logs;
  private final Map<String, Thread> followers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** How GPUs reach containers, as the last probe found; null before the first probe. */
  private volatile String handoff;

  /** A runtime that owns {@code engine} and closes it with itself. */
  public DockerRuntime(DockerEngineClient engine, DockerOptions options) {
    this.engine = engine;
    this.options = options;
    this.instances = new Instances(engine, options.instances());
    this.traffic = new InstanceTraffic(engine);
    this.logs = new LogCopier(engine, LogCopier.GRACE, LogCopier.TICK);
  }

  @Override
  public RuntimeInfo probe() {
    try {
      String found = GpuHandoff.detect(engine.info(), GpuHandoff.CDI_DIRS);
      handoff = found;
      return new RuntimeInfo(RuntimeInfo.DOCKER, null, found, null);
    } catch (IOException | RuntimeException e) {
      return new RuntimeInfo(
          RuntimeInfo.DOCKER,
          "the container engine at " + engine.endpoint() + " does not answer: " + describe(e),
          RuntimeInfo.HANDOFF_NONE,
          null);
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  @Override
  public String volumeSeenAt(RunSpec spec) {
    return spec.volumeDir() == null ? null : ContainerRequest.HOME;
  }

  @Override
  public RunHandle start(RunSpec spec, LogSink sink) {
    try {
      if (!spec.gpus().isEmpty() && handoff == null) {
        probe();
      }
      if (!spec.gpus().isEmpty() && RuntimeInfo.HANDOFF_NONE.equals(handoff)) {
        throw new RunRuntimeException(
            "this node's container engine cannot hand GPUs to containers: it lists no nvidia"
                + " runtime and no CDI spec for nvidia.com/gpu exists in /etc/cdi or /var/run/cdi");
      }
      ensureImage(spec.image());
      long offset = sink.size();
      String id = createAndStart(spec, offset);
      return follow(spec.runId(), id, sink, offset);
    } catch (IOException e) {
      instances.release(spec.runId());
      closeQuietly(sink);
      throw new RunRuntimeException(
          "container engine failed for run " + spec.runId() + ": " + e, e);
    } catch (RuntimeException e) {
      instances.release(spec.runId());
      closeQuietly(sink);
      throw e;
    }
  }

  /**
   * Creates and starts the run's container. An instance whose host port was taken between the check
   * and the start (by another program) is tried again on other ports.
   */
  private String createAndStart(RunSpec spec, long offset) throws IOException {
    for (int attempt = 1; ; attempt++) {
      var body = ContainerRequest.body(engine.json(), spec, options, offset, handoff);
      if (spec.instance() != null) {
        instances.shape(body, spec, options.networkMode());
      }
      // A job's container gets no way to the node's loopback (no allow_host_loopback): every
      // service bound to 127.0.0.1 there would be open to it, not only Ocean's server (qa7 K5).
      String id;
      try {
        id = engine.createContainer(containerName(spec.runId()), body);
      } catch (DockerApiException e) {
        throw new RunRuntimeException(
            "cannot create container for run " + spec.runId() + ": " + e.getMessage(), e);
      }
      try {
        engine.startContainer(id);
      } catch (DockerApiException e) {
        engine.removeContainer(id);
        if (spec.instance() != null && attempt < 3 && Instances.portTaken(e.getMessage())) {
          instances.release(spec.runId());
          continue;
        }
        throw new RunRuntimeException(
            "cannot start container for run " + spec.runId() + ": " + e.getMessage(), e);
      }
      if (spec.instance() != null) {
        instances.started(spec.runId(), id, spec);
      }
      return id;
    }
  }

  @Override
  public void stop(String runId, Duration grace) {
    try {
      engine.stopContainer(containerName(runId), grace);
    } catch (IOException e) {
      throw new RunRuntimeException("cannot stop run " + runId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<AdoptedRun> recover(Function<String, LogSink> sinks) {
    List<AdoptedRun> adopted = new ArrayList<>();
    try {
      for (JsonNode summary : engine.listContainers(ContainerRequest.AGENT, options.agentName())) {
        String id = summary.get("Id").asText();
        JsonNode container = engine.inspect(id).orElse(null);
        if (container == null) {
          continue; // removed meanwhile
        }
        adopted.add(adopt(id, container, sinks));
      }
    } catch (IOException e) {
      throw new RunRuntimeException(
          "cannot list this agent's containers at the container engine "
              + engine.endpoint()
              + ": "
              + describe(e),
          e);
    }
    return adopted;
  }

  @Override
  public void remove(String runId) {
    try {
      engine.removeContainer(containerName(runId));
      instances.release(runId);
    } catch (IOException e) {
      throw new RunRuntimeException("cannot remove run " + runId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public java.util.Optional<dev.ocean.common.api.instance.InstanceEndpoints> endpoints(
      String runId) {
    return instances.endpoints(runId);
  }

  /**
   * The instance runs whose containers moved more than {@value InstanceTraffic#THRESHOLD_BYTES}
   * bytes since the previous call: someone uses them directly (SSH, editor). The heartbeat reports
   * them so the server does not stop them as idle.
   */
  public List<String> activeRuns() {
    return traffic.sample(instances.containers());
  }

  @Override
  public void close() {
    closed = true;
    logs.close();
    engine.close();
    for (Thread follower : followers.values()) {
      try {
        follower.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The container name of {@code runId} on this agent. */
  public String containerName(String runId) {
    String agent = options.agentName().replaceAll("[^A-Za-z0-9_.-]", "_");
    return "ocean-" + agent + "-" + RunSpec.requireValidRunId(runId);
  }

  private void ensureImage(String image) throws IOException {
    if (engine.imageExists(image)) {
      return;
    }
    try {
      engine.pullImage(image);
    } catch (DockerApiException e) {
      throw new RunRuntimeException(
          "image " + image + " is not present on node and could not be pulled: " + e.getMessage(),
          e);
    }
  }

  private AdoptedRun adopt(String id, JsonNode container, Function<String, LogSink> sinks)
      throws IOException {
    JsonNode labels = container.path("Config").path("Labels");
    String runId = labels.path(ContainerRequest.RUN_ID).asText();
    long jobId = labels.path(ContainerRequest.JOB_ID).asLong();
    int runIndex = labels.path(ContainerRequest.RUN_INDEX).asInt();
    long offset = labels.path(ContainerRequest.SPOOL_OFFSET).asLong(0);
    JsonNode state = container.path("State");
    String status = state.path("Status").asText();
    boolean running = state.path("Running").asBoolean() || "paused".equals(status);
    instances.adopt(runId, id, container); // its ports stay reserved until it is removed
    if ("created".equals(status) || "configured".equals(status)) {
      // never started: there is no output and no exit code to report
      return new AdoptedRun(
          runId,
          jobId,
          runIndex,
          false,
          new RunHandle(runId, CompletableFuture.completedFuture(EXIT_UNKNOWN)));
    }
    LogSink sink = sinks.apply(runId);
    if (running) {
      return new AdoptedRun(runId, jobId, runIndex, true, follow(runId, id, sink, offset));
    }
    try (sink) {
      logs.copyAll(id, sink, offset); // what it wrote while the agent was down
    }
    int exitCode = state.path("ExitCode").asInt(EXIT_UNKNOWN);
    return new AdoptedRun(
        runId,
        jobId,
        runIndex,
        false,
        new RunHandle(runId, CompletableFuture.completedFuture(exitCode)));
  }

  /** Follows the container's output into the sink, then completes with its exit code. */
  private RunHandle follow(String runId, String id, LogSink sink, long offset) {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Runnable task =
        () -> {
          try (sink) {
            logs.follow(runId, id, sink, offset);
            if (!closed) {
              exit.complete(engine.waitForExit(id));
            }
          } catch (IOException | RuntimeException | InterruptedException e) {
            if (!closed) {
              log.warn("lost track of run {}: {}", runId, e.toString());
            }
            exit.completeExceptionally(e);
          } finally {
            followers.remove(runId);
            if (closed && !exit.isDone()) {
              exit.completeExceptionally(new RunRuntimeException("runtime closed"));
            }
          }
        };
    // platform thread: junixsocket blocks in native reads, which would pin a virtual thread
    Thread follower = Thread.ofPlatform().daemon().name("ocean-run-" + runId).unstarted(task);
    followers.put(runId, follower);
    follower.start();
    return new RunHandle(runId, exit);
  }

  private static void closeQuietly(LogSink sink) {
    try {
      sink.close();
    } catch (IOException e) {
      log.warn("cannot close log sink: {}", e.toString());
    }
  }
}
