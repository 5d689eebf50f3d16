package dev.ocean.agent.runtime;

import dev.ocean.common.api.node.RuntimeInfo;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one job run on this node, the way a Nomad task driver does: Docker/Podman containers or bare
 * processes behind one interface.
 *
 * <p>Life of a run as the agent sees it:
 *
 * <pre>
 *   start(spec, sink) ──► handle.exitCode() completes ──► agent reports ──► remove(runId)
 *        │                         ▲
 *        └─ stop(runId, grace) ────┘   (SIGTERM, then SIGKILL after grace)
 *
 *   agent restart: recover(sinks) ──► AdoptedRun per run started earlier: its handle is
 *   followed exactly like one from start(); an exited run's handle is already complete.
 * </pre>
 *
 * <p>Output goes to the run's {@link LogSink} and nowhere else; the spool file behind it is the
 * source of truth for shipping logs. A run's resources (container, state files) stay until {@link
 * #remove} so that an exit not yet reported survives an agent restart.
 */
public interface RunRuntime extends AutoCloseable {

  /**
   * Exit code a handle completes with when a run is gone and its real exit code can no longer be
   * known; it is never reported to the server as an exit code.
   */
  int EXIT_UNKNOWN = -1;

  /**
   * Checks whether runs can start now and how GPUs reach them; called when the agent joins and at
   * every heartbeat, so it must be quick and never throw.
   */
  RuntimeInfo probe();

  /** Where a run of {@code spec} sees its volume: the host directory itself, unless mounted. */
  default String volumeSeenAt(RunSpec spec) {
    return spec.volumeDir() == null ? null : spec.volumeDir().toAbsolutePath().toString();
  }

  /**
   * Starts a run and follows its output into {@code sink}, which the runtime owns from now on and
   * closes once the run has exited.
   *
   * @throws RunRuntimeException when the run cannot be started (the message says why, e.g. a
   *     missing image)
   */
  RunHandle start(RunSpec spec, LogSink sink);

  /**
   * Stops a run: SIGTERM to everything it started, SIGKILL to what is left after {@code grace}.
   * Returns once the run has ended; stopping a run that already ended does nothing.
   */
  void stop(String runId, Duration grace);

  /**
   * Finds the runs this agent started before a restart; call it once, at start-up, before any
   * {@link #start}. Running ones are followed again, their output appended to {@code
   * sinks.apply(runId)} without repeating what that sink already holds; the runtime closes those
   * sinks as it does the ones given to {@link #start}.
   */
  List<AdoptedRun> recover(Function<String, LogSink> sinks);

  /**
   * Where users reach {@code runId} when it is an instance this runtime started or adopted: the
   * advertised address, its published ports and, once its init created it, the SSH host key. Empty
   * for a job's run, an unknown run, or a runtime that cannot run instances.
   */
  default java.util.Optional<dev.ocean.common.api.instance.InstanceEndpoints> endpoints(
      String runId) {
    return java.util.Optional.empty();
  }

  /** Forgets an exited run and frees what it held (container, state files); idempotent. */
  void remove(String runId);

  /**
   * Stops following runs and releases this runtime's resources, leaving the runs themselves alone,
   * as an agent that shuts down does.
   */
  @Override
  void close();
}
