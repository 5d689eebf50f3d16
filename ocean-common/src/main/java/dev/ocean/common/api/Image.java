package dev.ocean.common.api;

import java.time.Instant;

/** An admin-registered container image that users may pick for instances and jobs. */
public record Image(String name, String reference, String description, Instant createdAt) {

  /** The body of {@code POST /api/v1/images}. */
  public record Create(String name, String reference, String description) {}
}
