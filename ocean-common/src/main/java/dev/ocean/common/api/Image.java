package dev.ocean.common.api;

import java.time.Instant;

/**
 * An admin-registered image that users may pick for instances and jobs.
 *
 * @param kind {@code container}: a container image, run by nodes with the docker runtime; {@code
 *     host}: the node's own system, run by nodes with the process runtime (the reference is then
 *     only a label)
 */
public record Image(
    String name, String reference, String kind, String description, Instant createdAt) {

  /** A container image, run by Docker/Podman nodes. */
  public static final String CONTAINER = "container";

  /** The node's own system, run by process-runtime nodes. */
  public static final String HOST = "host";

  /**
   * The body of {@code POST /api/v1/images} (and of its update, where null fields stay).
   *
   * @param kind {@code container} (the default when null) or {@code host}
   */
  public record Create(String name, String reference, String description, String kind) {}
}
