package dev.ocean.common.api;

import java.time.Instant;

/** A user's persistent storage, mounted at {@code /home/linuxbrew} in instances and jobs. */
public record Volume(String name, String owner, int sizeGib, boolean inUse, Instant createdAt) {

  /** The body of {@code POST /api/v1/volumes}. */
  public record Create(String name, Integer sizeGib) {}
}
