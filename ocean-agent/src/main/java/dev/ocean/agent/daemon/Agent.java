package dev.ocean.agent.daemon;

import dev.ocean.agent.facts.NodeFingerprint;
import dev.ocean.agent.runtime.RunRuntime;
import dev.ocean.agent.runtime.docker.DockerEngineClient;
import dev.ocean.agent.runtime.docker.DockerOptions;
import dev.ocean.agent.runtime.docker.DockerRuntime;
import dev.ocean.agent.runtime.process.ProcessRuntime;
import dev.ocean.agent.runtime.process.RunAs;
import dev.ocean.agent.work.DockerExecPortOpener;
import dev.ocean.agent.work.WorkApi;
import dev.ocean.agent.work.WorkLoop;
import dev.ocean.agent.work.WorkTiming;
import dev.ocean.common.api.node.RuntimeInfo;
import java.nio.file.Path;

/**
 * One node's running agent: the heartbeat daemon and the work loop that runs jobs, sharing one
 * identity and state directory. The daemon decides when the agent must exit (credential revoked,
 * protocol too old); closing the agent leaves the runs running for the next one to adopt.
 */
public final class Agent implements AutoCloseable {

  /** Default Docker Engine socket when the config names none. */
  public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

  private final AgentDaemon daemon;
  private final WorkLoop work;

  public Agent(AgentDaemon daemon, WorkLoop work) {
    this.daemon = daemon;
    this.work = work;
  }

  /**
   * The agent for {@code config}: runs go to the runtime it names, their spool and state live under
   * {@code stateDir}, volumes under {@code config.storage()}.
   */
  public static Agent create(AgentConfig config, Path stateDir, NodeFingerprint fingerprint) {
    privateDir(stateDir);
    WorkApi api = new WorkApi(AgentDaemon.agentClient(config));
    Path storage = config.storage() == null ? null : Path.of(config.storage());
    var storageReport = StorageReach.watch(config.runtime(), config.runAs(), storage);
    // Runs, their state and their spool live per registration: nothing of an earlier one is
    // adopted, blocks a run, or ends up in a current log.
    RunRuntime runtime = runtimeFor(config, stateDir);
    WorkLoop work =
        new WorkLoop(api, runtime, config.workDir(stateDir), storage, WorkTiming.defaults())
            .handRunsTheCaCert(config.caCert() == null ? null : Path.of(config.caCert()));
    if (runtime instanceof DockerRuntime docker) {
      // tunnels reach ports inside instance containers through the engine's exec
      work.openTunnelsWith(
          new DockerExecPortOpener(
              config.dockerHost() == null ? DEFAULT_DOCKER_HOST : config.dockerHost(),
              docker::containerName,
              DockerExecPortOpener.OCEAN_NC));
    }
    AgentDaemon daemon =
        new AgentDaemon(
                config,
                stateDir,
                fingerprint,
                // checked at every heartbeat: an unmounted or unreachable share takes no volume
                // work, and the node's REASON says why
                () -> storageReport.apply(work.runtimeHealth()),
                work::stopAll)
            .onNewCredential(rotated -> api.use(AgentDaemon.agentClient(rotated)));
    if (runtime instanceof DockerRuntime docker) {
      daemon.reportActivityWith(docker::activeRuns); // direct SSH/editor use counts as activity
    }
    return new Agent(daemon, work);
  }

  /** The runtime {@code config.runtime()} names: {@code process}, or else {@code docker}. */
  public static RunRuntime runtimeFor(AgentConfig config, Path stateDir) {
    if ("process".equals(config.runtime())) {
      return new ProcessRuntime(
          config.workDir(stateDir).resolve("process"),
          RunAs.of(config.runAs(), RunAs.me()),
          // HOME of runs without a volume: outside the state directory, never beside agent.json
          Path.of(System.getProperty("java.io.tmpdir"), "ocean-runs-" + config.runLabel()));
    }
    String host = config.dockerHost() == null ? DEFAULT_DOCKER_HOST : config.dockerHost();
    return new DockerRuntime(
        DockerEngineClient.forHost(host),
        DockerOptions.defaults(config.runLabel())
            .withUlimits(config.containerUlimits())
            .withInstances(config.instanceOptions(config.workDir(stateDir))));
  }

  /** What the runtime {@code runtime} (and {@code dockerHost}) can do now, for a join. */
  public static RuntimeInfo probe(String runtime, String dockerHost, String runAs) {
    if ("process".equals(runtime)) {
      return new RuntimeInfo(
          RuntimeInfo.PROCESS,
          RunAs.of(runAs, RunAs.me()).refusal(),
          RuntimeInfo.HANDOFF_ENV,
          null);
    }
    String host = dockerHost == null ? DEFAULT_DOCKER_HOST : dockerHost;
    try (DockerRuntime docker =
        new DockerRuntime(DockerEngineClient.forHost(host), DockerOptions.defaults("probe"))) {
      return docker.probe();
    } catch (IllegalArgumentException e) {
      return new RuntimeInfo(RuntimeInfo.DOCKER, e.getMessage(), RuntimeInfo.HANDOFF_NONE, null);
    }
  }

  /** The state directory holds the node credential: only the agent's account may enter it. */
  static void privateDir(Path stateDir) {
    try {
      java.nio.file.Files.setPosixFilePermissions(
          stateDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    } catch (java.io.IOException | UnsupportedOperationException e) {
      throw new IllegalStateException("cannot make " + stateDir + " private (mode 0700): " + e, e);
    }
  }

  /** Starts heartbeats, re-adopts earlier runs and starts polling for work. */
  public Agent start() {
    daemon.start();
    work.start();
    return this;
  }

  /** Blocks until the agent must stop; returns why, or null after a clean {@link #close()}. */
  public String awaitExit() throws InterruptedException {
    return daemon.awaitExit();
  }

  @Override
  public void close() {
    // heartbeats stop first: one sent after the work loop closed the runtime would report the
    // container engine as down, and the node list would blame the engine for the agent's exit
    daemon.close();
    work.close();
  }
}
