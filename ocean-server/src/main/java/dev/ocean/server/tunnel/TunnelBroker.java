package dev.ocean.server.tunnel;

import dev.ocean.common.api.agent.TunnelOpen;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.error.TooManyAttempts;
import dev.ocean.server.job.AgentWork;
import dev.ocean.server.job.Signals;
import dev.ocean.server.tunnel.TunnelTargets.Target;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pairs users' tunnels with their nodes' agents: reserves a tunnel for an instance's owner, offers
 * it once to the node's work poll ({@link #take}), lets exactly that node's agent claim it, and
 * gives it up when no agent answered within {@link #ANSWER_WITHIN}. Everything is bounded: tunnels
 * waiting for an agent and open tunnels per user.
 */
public final class TunnelBroker implements AutoCloseable {
  /** How long a node's agent has to connect back for a tunnel. */
  public static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

  /** Tunnels of one user waiting for their agent at once. */
  public static final int PENDING_PER_USER = 16;

  /** Tunnels of one user open at once. */
  public static final int OPEN_PER_USER = 64;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final TunnelTargets targets;
  private final Signals signals;
  private final Clock clock;
  private final Duration answerWithin;
  private final Map<String, Tunnel> tunnels = new ConcurrentHashMap<>();
  private final Map<String, Queue<TunnelOpen>> offers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofVirtual().name("ocean-tunnel-timer").factory());

  public TunnelBroker(TunnelTargets targets, Signals signals, Clock clock, Duration answerWithin) {
    this.targets = targets;
    this.signals = signals;
    this.clock = clock;
    this.answerWithin = answerWithin;
  }

  /**
   * Reserves a tunnel to port {@code port} of the user's running instance {@code instance}.
   *
   * @throws NotFound when the user has no running instance of that name
   * @throws Invalid when the port is not 1..65535
   * @throws TooManyAttempts when the user has too many tunnels opening or open
   */
  Tunnel reserve(long userId, String instance, String port) {
    int p = port(port);
    Target target =
        targets
            .find(userId, instance)
            .orElseThrow(
                () ->
                    new NotFound(
                        "you have no running instance named '"
                            + instance
                            + "'; see `ocean instance list`"));
    synchronized (this) {
      long pending = 0;
      long open = 0;
      for (Tunnel t : tunnels.values()) {
        if (t.target.userId() == userId) {
          if (t.answered()) {
            open++;
          } else {
            pending++;
          }
        }
      }
      if (pending >= PENDING_PER_USER) {
        throw new TooManyAttempts(
            PENDING_PER_USER + " of your tunnels are already waiting for their node; try again",
            answerWithin.toSeconds());
      }
      if (open >= OPEN_PER_USER) {
        throw new TooManyAttempts(
            "you have " + OPEN_PER_USER + " tunnels open; close some first", 10);
      }
      String id = newId();
      Tunnel tunnel =
          new Tunnel(id, target, p, clock, targets, () -> tunnels.remove(id), answerWithin);
      tunnels.put(id, tunnel);
      timer.schedule(tunnel::expireUnanswered, answerWithin.toMillis(), TimeUnit.MILLISECONDS);
      return tunnel;
    }
  }

  /** The user's side is connected: the node's agent is asked to connect back. */
  void offer(Tunnel tunnel) {
    String node = tunnel.target.node();
    offers
        .computeIfAbsent(node, n -> new ConcurrentLinkedQueue<>())
        .add(new TunnelOpen(tunnel.id, tunnel.target.runId(), tunnel.port));
    signals.signal(AgentWork.key(node));
  }

  /** The tunnels the node's agent is to open, each handed out once. */
  public List<TunnelOpen> take(String node) {
    Queue<TunnelOpen> queue = offers.get(node);
    List<TunnelOpen> out = new ArrayList<>();
    if (queue == null) {
      return out;
    }
    TunnelOpen t;
    while ((t = queue.poll()) != null) {
      Tunnel tunnel = tunnels.get(t.id());
      if (tunnel != null && !tunnel.answered()) {
        out.add(t);
      }
    }
    return out;
  }

  /** The tunnel {@code id} when it waits for this node's agent; once only. */
  Optional<Tunnel> claim(String id, String node) {
    Tunnel t = id == null ? null : tunnels.get(id);
    if (t == null || !t.target.node().equals(node) || !t.claim()) {
      return Optional.empty();
    }
    return Optional.of(t);
  }

  /** Tunnels waiting or open now (for tests and metrics). */
  public int size() {
    return tunnels.size();
  }

  private static int port(String text) {
    int p;
    try {
      p = text == null ? -1 : Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      p = -1;
    }
    if (p < 1 || p > 65535) {
      throw new Invalid("port", "port must be a whole number from 1 to 65535");
    }
    return p;
  }

  private static String newId() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    tunnels.values().forEach(t -> t.fail("the server is shutting down"));
  }
}
