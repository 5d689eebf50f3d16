package dev.ocean.server.error;

/**
 * A failure a service reports in its own terms (something is missing, in the way, not allowed or
 * malformed); the HTTP layer's error mapper turns each kind into one problem+json answer. The
 * message is the problem's {@code detail}: one sentence a user can act on. {@code field} names the
 * request field at fault, or is null.
 */
public abstract sealed class DomainException extends RuntimeException
    permits NotFound, Conflict, Invalid, Forbidden, QuotaExceeded {
  private final String field;

  DomainException(String field, String detail) {
    super(detail);
    this.field = field;
  }

  /** The request field the failure is about, or null. */
  public String field() {
    return field;
  }
}
