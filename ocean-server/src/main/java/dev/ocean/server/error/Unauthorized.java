package dev.ocean.server.error;

/** The caller is not known: no, a wrong or an expired credential. */
public final class Unauthorized extends DomainException {
  public Unauthorized(String detail) {
    super(null, detail);
  }
}
