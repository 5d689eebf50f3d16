package dev.ocean.agent.daemon;

import dev.ocean.agent.facts.NodeFingerprint;
import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's main loop: heartbeats with metrics, and survives the server being away (retries with
 * backoff, keeps its identity, resumes). It only calls out; it listens on no port.
 */
public final class AgentDaemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentDaemon.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private volatile AgentConfig config;
  private final Path stateDir;
  private final NodeFingerprint fingerprint;
  private volatile NodeClient client;
  private volatile Duration answerTimeout;
  private volatile java.util.function.Consumer<AgentConfig> onNewCredential = c -> {};
  private volatile Supplier<List<String>> activeRuns = List::of;
  private static final Duration ACTIVITY_WAIT = Duration.ofSeconds(2);
  private CompletableFuture<List<String>> sampling;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread loop;
  private volatile String exitReason;
  private NodeFacts lastFacts;

  private final Supplier<RuntimeInfo> runtime;
  private final Runnable onRemoved;

  /** A daemon that reports no runtime (an older agent's heartbeat) and has no runs to stop. */
  public AgentDaemon(AgentConfig config, Path stateDir, NodeFingerprint fingerprint) {
    this(config, stateDir, fingerprint, () -> null, () -> {});
  }

  /**
   * A daemon that reports {@code runtime}'s health with every heartbeat and calls {@code onRemoved}
   * (stop every run) when the server no longer knows this node.
   */
  public AgentDaemon(
      AgentConfig config,
      Path stateDir,
      NodeFingerprint fingerprint,
      Supplier<RuntimeInfo> runtime,
      Runnable onRemoved) {
    this.config = config;
    this.stateDir = stateDir;
    this.fingerprint = fingerprint;
    this.runtime = runtime;
    this.onRemoved = onRemoved;
    this.client = agentClient(config);
    this.loop = Thread.ofPlatform().name("ocean-agent-heartbeat").daemon(true).unstarted(this::run);
  }

  /** A client that authenticates as a node and speaks this agent's protocol version. */
  public static NodeClient agentClient(String server, String credential) {
    return agentClient(server, credential, null);
  }

  /** The client of this node's identity, trusting the extra certificates it was joined with. */
  public static NodeClient agentClient(AgentConfig config) {
    return agentClient(config.server(), config.credential(), config.caCert());
  }

  /**
   * A node client that also trusts the PEM certificates in {@code caCert} when that is not null.
   *
   * @throws dev.ocean.common.client.OceanClientException when that file cannot be used
   */
  public static NodeClient agentClient(String server, String credential, String caCert) {
    return NodeClient.of(
        server,
        credential == null ? null : "Bearer " + credential,
        java.util.Map.of(AgentProtocol.HEADER, String.valueOf(AgentProtocol.VERSION)),
        caCert);
  }

  public AgentDaemon start() {
    loop.start();
    return this;
  }

  /** Blocks until the daemon stops; returns why, or null after a clean {@link #close()}. */
  public String awaitExit() throws InterruptedException {
    loop.join();
    return exitReason;
  }

  private void run() {
    Duration interval = Duration.ofSeconds(Math.max(1, config.heartbeatSeconds()));
    Duration backoff = Duration.ofSeconds(1);
    while (stop.getCount() > 0) {
      Duration wait;
      try {
        beat();
        backoff = Duration.ofSeconds(1);
        wait = interval;
      } catch (OceanApiException e) {
        if (e.status() == 401) {
          exitReason =
              "the server no longer accepts this node's credential (node removed?); join again"
                  + " with a new token: 'ocean-agent join --state-dir "
                  + stateDir
                  + " …' replaces this identity";
          LOG.error(exitReason);
          // Nothing this node runs may outlive its membership: the server already ended its runs.
          onRemoved.run();
          saveStatus(null, exitReason);
          return;
        }
        if (e.status() == 426) {
          exitReason = e.getMessage();
          LOG.error(exitReason);
          saveStatus(null, exitReason);
          return;
        }
        java.util.Optional<Duration> told = RetryAfter.of(e);
        if (told.isPresent()) {
          // the server sheds load: come back when it said (with jitter), no longer, and the
          // refusal still counts as hearing from this node there
          wait = told.get();
          LOG.info("the server is busy; heartbeat again in {} ms", wait.toMillis());
        } else {
          wait = backoff;
          backoff = next(backoff);
          failed(e, wait);
        }
      } catch (OceanClientException e) {
        wait = backoff;
        backoff = next(backoff);
        failed(e, wait);
      } catch (RuntimeException e) {
        wait = backoff;
        backoff = next(backoff);
        LOG.warn("heartbeat failed unexpectedly; retrying in {}s", wait.toSeconds(), e);
      }
      try {
        if (stop.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void beat() {
    NodeFacts facts = fingerprint.facts().withRuntime(runtime.get());
    NodeFacts changed = facts.equals(lastFacts) ? null : facts;
    Heartbeat.Ack ack =
        client.post(
            AgentProtocol.HEARTBEAT,
            new Heartbeat(fingerprint.metrics(), changed, activeRuns()),
            Heartbeat.Ack.class);
    lastFacts = facts;
    if (ack.credential() != null) {
      useCredential(ack.credential());
    }
    saveStatus(ack.state(), null);
  }

  /**
   * Where each heartbeat learns which instance runs saw direct traffic since the previous one (see
   * {@code DockerRuntime.activeRuns}); none by default.
   */
  public AgentDaemon reportActivityWith(Supplier<List<String>> activeRuns) {
    this.activeRuns = activeRuns;
    return this;
  }

  /**
   * The active runs. Measuring asks the container engine, which may be slow or hang: a heartbeat
   * waits for it at most {@link #ACTIVITY_WAIT} and then goes without; a late answer goes with the
   * next heartbeat (it covers the time since the previous sample all the same). A heartbeat never
   * fails on it.
   */
  private List<String> activeRuns() {
    if (sampling == null) {
      Supplier<List<String>> measure = activeRuns;
      sampling = CompletableFuture.supplyAsync(measure::get, Thread::startVirtualThread);
    }
    try {
      List<String> runs = sampling.get(ACTIVITY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      sampling = null;
      return runs;
    } catch (TimeoutException e) {
      return List.of();
    } catch (ExecutionException | RuntimeException e) {
      sampling = null;
      LOG.debug("cannot measure instance traffic: {}", e.toString());
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /**
   * Waits at most {@code timeout} for the answer to a heartbeat before trying the next server, in
   * place of {@link NodeClient}'s default; tests shrink it.
   */
  public AgentDaemon answerTimeout(Duration timeout) {
    this.answerTimeout = timeout;
    this.client = client.withReadTimeout(timeout);
    return this;
  }

  /** Called with the new config after the server rotated this node's credential. */
  public AgentDaemon onNewCredential(java.util.function.Consumer<AgentConfig> listener) {
    this.onNewCredential = listener;
    return this;
  }

  /** Stores a rotated credential first, so that a crash right after cannot lose it. */
  private void useCredential(String credential) {
    AgentConfig rotated = config.withCredential(credential);
    rotated.save(stateDir);
    config = rotated;
    client =
        answerTimeout == null
            ? agentClient(rotated)
            : agentClient(rotated).withReadTimeout(answerTimeout);
    onNewCredential.accept(rotated);
    LOG.info("switched to the node credential the server rotated");
  }

  private void failed(RuntimeException e, Duration wait) {
    LOG.warn("cannot reach the server: {}; retrying in {}s", e.getMessage(), wait.toSeconds());
    AgentStatus previous = AgentStatus.load(stateDir).orElse(null);
    saveStatus(previous == null ? null : previous.serverState(), e.getMessage(), previous);
  }

  private void saveStatus(String state, String error) {
    // a failure keeps the last heartbeat that worked, so `ocean-agent status` never says "never"
    saveStatus(state, error, error == null ? null : AgentStatus.load(stateDir).orElse(null));
  }

  private void saveStatus(String state, String error, AgentStatus previous) {
    Instant last =
        error == null ? Instant.now() : previous == null ? null : previous.lastHeartbeatAt();
    List<String> gpus =
        lastFacts == null
            ? List.of()
            : lastFacts.gpus().stream().map(AgentDaemon::describe).toList();
    new AgentStatus(last, state, error, gpus).save(stateDir);
  }

  private static String describe(GpuInfo g) {
    return g.index()
        + ": "
        + g.name()
        + (g.memoryTotalMib() == null ? "" : " (" + g.memoryTotalMib() + " MiB)");
  }

  private static Duration next(Duration d) {
    Duration doubled = d.multipliedBy(2);
    return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
  }

  @Override
  public void close() {
    stop.countDown();
    try {
      loop.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
