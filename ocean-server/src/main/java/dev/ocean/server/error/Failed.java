package dev.ocean.server.error;

/** The server could not do what was asked for a reason the user should read (not a bug). */
public final class Failed extends DomainException {
  public Failed(String title, String detail) {
    super(null, detail, title);
  }
}
