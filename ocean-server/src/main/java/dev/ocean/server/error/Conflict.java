package dev.ocean.server.error;

/** The request is well formed but clashes with the current state (in use, already ended...). */
public final class Conflict extends DomainException {
  public Conflict(String detail) {
    super(null, detail);
  }

  public Conflict(String field, String detail) {
    super(field, detail);
  }
}
