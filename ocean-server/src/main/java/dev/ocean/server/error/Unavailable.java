package dev.ocean.server.error;

/** The server cannot serve this now (e.g. its data directory failed); retrying later may work. */
public final class Unavailable extends DomainException {
  public Unavailable(String detail) {
    super(null, detail);
  }
}
