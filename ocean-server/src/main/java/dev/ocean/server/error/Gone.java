package dev.ocean.server.error;

/** What was asked for existed and is gone for good (a run's log lost from the server's store). */
public final class Gone extends DomainException {
  public Gone(String title, String detail) {
    super(null, detail, title);
  }
}
