package dev.ocean.server.error;

/** The caller is known but may not do this. */
public final class Forbidden extends DomainException {
  public Forbidden(String detail) {
    super(null, detail);
  }

  /** A refusal caused by one request field, e.g. a wrong current password. */
  public Forbidden(String field, String detail) {
    super(field, detail);
  }
}
