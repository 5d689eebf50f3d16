package dev.ocean.server.error;

/** Something the caller sent is larger than the server accepts. */
public final class TooLarge extends DomainException {
  public TooLarge(String field, String detail) {
    super(field, detail);
  }
}
