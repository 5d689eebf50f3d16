package dev.ocean.server.tunnel;

import dev.ocean.server.tunnel.TunnelTargets.Target;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One tunnel: the user's WebSocket spliced to the agent's. A message from one side is sent to the
 * other before the next is read (the handler waits for the send), so a slow reader slows the writer
 * down to TCP instead of filling the server's memory. A close on either side closes the other with
 * the same code and reason.
 *
 * <pre>
 *   reserved ─(user connects)─► offered to the node ─(agent connects)─► open ─(either closes)─► closed
 *        └──────────────(no agent within ANSWER_WITHIN: "node N did not answer")─────────► closed
 * </pre>
 */
final class Tunnel {
  /** How long a frame may wait for the other side to take it before the tunnel is given up. */
  static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

  /** Activity is written at most this often per tunnel (idle stop judges in minutes). */
  static final Duration ACTIVITY_EVERY = Duration.ofMinutes(1);

  final String id;
  final Target target;
  final int port;
  private final long reservedNanos = System.nanoTime();

  private final Clock clock;
  private final TunnelTargets targets;
  private final Runnable onEnd;
  private final Duration answerWithin;
  private final CompletableFuture<Session> agent = new CompletableFuture<>();
  private final AtomicBoolean claimed = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Session user;
  private volatile Instant activityWritten = Instant.EPOCH;

  Tunnel(
      String id,
      Target target,
      int port,
      Clock clock,
      TunnelTargets targets,
      Runnable onEnd,
      Duration answerWithin) {
    this.id = id;
    this.answerWithin = answerWithin;
    this.target = target;
    this.port = port;
    this.clock = clock;
    this.targets = targets;
    this.onEnd = onEnd;
  }

  void userConnected(Session session) {
    this.user = session;
  }

  boolean hasUser() {
    return user != null;
  }

  /** True once, for the first agent connection that takes this tunnel. */
  boolean claim() {
    return !ended.get() && claimed.compareAndSet(false, true);
  }

  boolean answered() {
    return agent.isDone();
  }

  void agentConnected(Session session) {
    if (ended.get()) {
      session.close(WsCodes.GOING_AWAY, "the tunnel was closed", Callback.NOOP);
      return;
    }
    agent.complete(session);
  }

  /** Forwards the user's bytes, first waiting (within the answer time) for the agent. */
  void fromUser(ByteBuffer data) {
    Session to;
    try {
      long left = answerWithin.toNanos() - (System.nanoTime() - reservedNanos);
      to = agent.get(Math.max(1, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      fail(unanswered());
      return;
    } catch (ExecutionException e) {
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("the server is shutting down");
      return;
    }
    send(to, data);
  }

  void fromAgent(ByteBuffer data) {
    Session to = user;
    if (to != null) {
      send(to, data);
    }
  }

  private void send(Session to, ByteBuffer data) {
    if (ended.get()) {
      return;
    }
    CompletableFuture<Void> sent = new CompletableFuture<>();
    to.sendBinary(data, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
    try {
      sent.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      fail("the other side did not take data for " + SEND_TIMEOUT.toSeconds() + " s");
      return;
    } catch (ExecutionException e) {
      fail("the other side went away");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("the server is shutting down");
      return;
    }
    noteActivity();
  }

  private void noteActivity() {
    Instant now = clock.instant();
    if (Duration.between(activityWritten, now).compareTo(ACTIVITY_EVERY) >= 0) {
      activityWritten = now;
      Thread.ofVirtual().name("ocean-tunnel-activity").start(() -> record(now));
    }
  }

  private void record(Instant at) {
    try {
      targets.recordActivity(target, at);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Tunnel.class)
          .warn("cannot record activity of instance {}: {}", target.instance(), e.getMessage());
    }
  }

  /** The user's side closed: the agent's side closes the same way. */
  void userClosed(int code, String reason) {
    end(agentSession(), code, reason, null, 0);
  }

  /** The agent's side closed: the user's side closes the same way. */
  void agentClosed(int code, String reason) {
    end(user, code, reason, null, 0);
  }

  /** Closes both sides with a reason the user reads. */
  void fail(String reason) {
    end(user, WsCodes.FAILED, reason, agentSession(), WsCodes.FAILED);
  }

  /** Gives up a tunnel no agent answered in time. */
  void expireUnanswered() {
    if (!agent.isDone()) {
      agent.completeExceptionally(new TimeoutException());
      fail(unanswered());
    }
  }

  private Session agentSession() {
    return agent.isDone() && !agent.isCompletedExceptionally() ? agent.join() : null;
  }

  private String unanswered() {
    return "node "
        + target.node()
        + " did not answer within "
        + Math.max(1, answerWithin.plusMillis(999).toSeconds())
        + " s; is its agent running?";
  }

  private void end(Session a, int code, String reason, Session b, int codeB) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    onEnd.run();
    if (a != null && a.isOpen()) {
      a.close(WsCodes.sendable(code), WsCodes.reason(reason), Callback.NOOP);
    }
    if (b != null && b.isOpen()) {
      b.close(WsCodes.sendable(codeB), WsCodes.reason(reason), Callback.NOOP);
    }
  }
}
