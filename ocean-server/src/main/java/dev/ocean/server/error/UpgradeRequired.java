package dev.ocean.server.error;

/** The caller speaks a protocol version this server does not; it must be upgraded. */
public final class UpgradeRequired extends DomainException {
  public UpgradeRequired(String detail) {
    super(null, detail, "Agent protocol not supported");
  }
}
