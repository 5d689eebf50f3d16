package dev.ocean.server.error;

/**
 * The server cannot serve this now (e.g. its data directory failed, or it is overloaded); retrying
 * later may work. With a {@link #retryAfterSeconds()} above 0 the answer says when ({@code
 * Retry-After}).
 */
public final class Unavailable extends DomainException {
  private final long retryAfterSeconds;

  public Unavailable(String detail) {
    this(detail, 0);
  }

  public Unavailable(String detail, long retryAfterSeconds) {
    super(null, detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Seconds after which a retry may succeed; 0 when unknown. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
