package dev.ocean.cli.job;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Tells the user, once, when the server a follow or wait retries has not answered for a few
 * seconds, and again when it answers: a follower whose only server died otherwise retried without a
 * word until it came back or the retries ran out (qa8 Q3).
 */
final class Outage {
  /** How long reconnects may fail quietly: a server restart or a dropped socket takes less. */
  static final Duration QUIET = Duration.ofSeconds(5);

  private final Consumer<String> tell;
  private final Supplier<String> server;
  private boolean failing;
  private long since; // System.nanoTime() of the first failure; any long, negative ones too
  private boolean said;

  Outage(Consumer<String> tell, Supplier<String> server) {
    this.tell = tell;
    this.server = server;
  }

  /** A request or stream failed and will be retried. */
  void failed() {
    long now = System.nanoTime();
    if (!failing) {
      failing = true;
      since = now;
    } else if (!said && now - since >= QUIET.toNanos()) {
      said = true;
      tell.accept("Lost the connection to " + server.get() + "; retrying (Ctrl-C to stop).");
    }
  }

  /** The server answered again. */
  void answered() {
    if (said) {
      tell.accept("Reconnected to " + server.get() + ".");
    }
    failing = false;
    said = false;
  }
}
