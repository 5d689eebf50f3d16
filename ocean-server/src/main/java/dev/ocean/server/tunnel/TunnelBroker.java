package dev.ocean.server.tunnel;

import dev.ocean.common.api.agent.TunnelOpen;
import dev.ocean.common.validation.WholeNumbers;
import dev.ocean.server.error.Conflict;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pairs users' tunnels with their nodes' agents: reserves a tunnel for an instance's owner, offers
 * it to the node's work poll ({@link #take}) until the agent connects (again every {@link
 * #OFFER_AGAIN_AFTER}: the poll that carried it may be one the agent gave up), lets exactly that
 * node's agent claim it, and gives it up when no agent answered within {@link #ANSWER_WITHIN}.
 * Everything is bounded: tunnels waiting for an agent and open tunnels per user.
 */
public final class TunnelBroker implements AutoCloseable {
  /** How long a node's agent has to connect back for a tunnel. */
  public static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

  /** Tunnels of one user waiting for their agent at once. */
  public static final int PENDING_PER_USER = 16;

  /** Tunnels of one user open at once. */
  public static final int OPEN_PER_USER = 64;

  /**
   * How long a tunnel handed to a poll waits for its agent before the next poll carries it again.
   */
  public static final Duration OFFER_AGAIN_AFTER = Duration.ofSeconds(1);

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A tunnel offered to a node's polls, and when a poll last carried it (nanoTime; 0: never). */
  private static final class Offer {
    final TunnelOpen open;
    long carriedAt;
    boolean carried;

    Offer(TunnelOpen open) {
      this.open = open;
    }
  }

  private final TunnelTargets targets;
  private final Signals signals;
  private final Clock clock;
  private final Duration answerWithin;
  private final Map<String, Tunnel> tunnels = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Offer>> offers = new ConcurrentHashMap<>();
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
   * @throws Conflict when the user's instance of that name exists but does not run
   * @throws Invalid when the port is not 1..65535
   * @throws TooManyAttempts when the user has too many tunnels opening or open
   */
  Tunnel reserve(long userId, String instance, String port) {
    int p = port(port);
    Target target =
        targets
            .find(userId, instance)
            .orElseThrow(
                () -> {
                  String state = targets.notRunning(userId, instance).orElse(null);
                  if (state != null) {
                    // as `ocean instance ssh` says it: the instance is there, it just does not run
                    return new Conflict(
                        "instance "
                            + instance
                            + " is "
                            + state
                            + (state.equals("stopped") || state.equals("failed")
                                ? "; start it with `ocean instance start " + instance + "`"
                                : "; try again once it runs (ocean instance get "
                                    + instance
                                    + ")"));
                  }
                  return new NotFound(
                      "you have no running instance named '"
                          + instance
                          + "'; see `ocean instance list`");
                });
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
          new Tunnel(
              id,
              target,
              p,
              clock,
              targets,
              () -> {
                tunnels.remove(id);
                withdraw(target.node(), id);
              },
              answerWithin);
      tunnels.put(id, tunnel);
      timer.schedule(tunnel::expireUnanswered, answerWithin.toMillis(), TimeUnit.MILLISECONDS);
      return tunnel;
    }
  }

  /** The user's side is connected: the node's agent is asked to connect back. */
  void offer(Tunnel tunnel) {
    String node = tunnel.target.node();
    offers
        .computeIfAbsent(node, n -> new ConcurrentHashMap<>())
        .put(tunnel.id, new Offer(new TunnelOpen(tunnel.id, tunnel.target.runId(), tunnel.port)));
    signals.signal(AgentWork.key(node));
  }

  /**
   * The tunnels the node's poll is to carry now: the ones no poll carried yet, and the ones carried
   * {@link #OFFER_AGAIN_AFTER} ago or more whose agent has not connected; and when the next is due.
   */
  public AgentWork.TunnelOffers take(String node) {
    Map<String, Offer> waiting = offers.get(node);
    if (waiting == null) {
      return AgentWork.TunnelOffers.NONE;
    }
    List<TunnelOpen> now = new ArrayList<>();
    long again = Long.MAX_VALUE;
    long at = System.nanoTime();
    long after = OFFER_AGAIN_AFTER.toNanos();
    synchronized (waiting) {
      for (var it = waiting.values().iterator(); it.hasNext(); ) {
        Offer o = it.next();
        Tunnel tunnel = tunnels.get(o.open.id());
        if (tunnel == null || tunnel.answered()) {
          it.remove();
        } else if (!o.carried || at - o.carriedAt >= after) {
          o.carried = true;
          o.carriedAt = at;
          now.add(o.open);
        } else {
          again = Math.min(again, (o.carriedAt + after - at) / 1_000_000 + 1);
        }
      }
    }
    return new AgentWork.TunnelOffers(now, again);
  }

  private void withdraw(String node, String id) {
    Map<String, Offer> waiting = offers.get(node);
    if (waiting != null) {
      waiting.remove(id);
    }
  }

  /** The tunnel {@code id} when it waits for this node's agent; once only. */
  Optional<Tunnel> claim(String id, String node) {
    Tunnel t = id == null ? null : tunnels.get(id);
    if (t == null || !t.target.node().equals(node) || !t.claim()) {
      return Optional.empty();
    }
    withdraw(node, id); // connected: no poll carries it again
    return Optional.of(t);
  }

  /** Tunnels waiting or open now (for tests and metrics). */
  public int size() {
    return tunnels.size();
  }

  private static int port(String text) {
    int p;
    try {
      p = text == null ? -1 : WholeNumbers.parseInt(text.strip());
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
