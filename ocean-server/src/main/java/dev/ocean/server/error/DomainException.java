package dev.ocean.server.error;

/**
 * A failure a service reports in its own terms (something is missing, in the way, not allowed or
 * malformed); the HTTP layer's error mapper turns each kind into one problem+json answer. The
 * message is the problem's {@code detail}: one sentence a user can act on. {@code field} names the
 * request field at fault, or is null.
 */
public abstract sealed class DomainException extends RuntimeException
    permits NotFound,
        Conflict,
        Invalid,
        Forbidden,
        QuotaExceeded,
        Unauthorized,
        TooManyAttempts,
        TooLarge,
        Unavailable,
        InsufficientStorage,
        Gone,
        UpgradeRequired,
        Failed {
  private final String field;
  private final String title;

  DomainException(String field, String detail) {
    this(field, detail, null);
  }

  DomainException(String field, String detail, String title) {
    super(detail);
    this.field = field;
    this.title = title;
  }

  /** A problem title more precise than the status's usual one (e.g. "Log gap"), or null. */
  public String title() {
    return title;
  }

  /** The request field the failure is about, or null. */
  public String field() {
    return field;
  }
}
