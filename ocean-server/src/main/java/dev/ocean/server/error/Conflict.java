package dev.ocean.server.error;

/** The request is well formed but clashes with the current state (in use, already ended...). */
public final class Conflict extends DomainException {
  public Conflict(String detail) {
    super(null, detail);
  }

  public Conflict(String field, String detail) {
    super(field, detail);
  }

  /** A conflict of a kind clients tell apart by its problem title (e.g. "Log gap"). */
  public Conflict(String field, String detail, String title) {
    super(field, detail, title);
  }
}
