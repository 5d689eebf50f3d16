package dev.ocean.server.error;

/** A malformed value: the field it came in and what is wrong with it. */
public final class Invalid extends DomainException {
  public Invalid(String field, String detail) {
    super(field, detail);
  }
}
