package dev.ocean.server.error;

/** The server has no disk room left for what was asked. */
public final class InsufficientStorage extends DomainException {
  public InsufficientStorage(String detail) {
    super(null, detail);
  }
}
