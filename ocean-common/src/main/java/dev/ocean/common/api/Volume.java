package dev.ocean.common.api;

import java.time.Instant;

/**
 * A user's persistent storage, mounted at {@code /home/linuxbrew} in instances and jobs. {@code
 * usedBytes} is what its files took when the server last measured them (null until it has).
 */
public record Volume(
    String name, String owner, int sizeGib, boolean inUse, Instant createdAt, Long usedBytes) {

  /** The body of {@code POST /api/v1/volumes}. */
  public record Create(String name, Integer sizeGib) {}

  /** The body of {@code PATCH /api/v1/volumes/NAME}: the volume's new size. */
  public record Resize(Integer sizeGib) {}
}
