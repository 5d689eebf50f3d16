package dev.ocean.server.error;

/** Admitting the work would take the user over their quota for a machine type. */
public final class QuotaExceeded extends DomainException {
  public QuotaExceeded(String detail) {
    super("machineType", detail);
  }
}
