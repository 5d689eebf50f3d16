package dev.ocean.server.error;

/** Something the caller named does not exist (or is not theirs to see). */
public final class NotFound extends DomainException {
  public NotFound(String detail) {
    super(null, detail);
  }

  /** A missing thing named by a request field, e.g. an unknown machine type in a submission. */
  public NotFound(String field, String detail) {
    super(field, detail);
  }
}
