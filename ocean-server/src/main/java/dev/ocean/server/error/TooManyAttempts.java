package dev.ocean.server.error;

/**
 * Refusal of a login or signup that must wait: answered with 429 and a {@code Retry-After} header
 * of {@link #retryAfterSeconds()}.
 */
public final class TooManyAttempts extends DomainException {
  private final long retryAfterSeconds;

  public TooManyAttempts(String message, long retryAfterSeconds) {
    super(null, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
