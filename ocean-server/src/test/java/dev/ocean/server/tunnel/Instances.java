package dev.ocean.server.tunnel;

import dev.ocean.server.OceanServer;
import java.time.Instant;

/**
 * Instance rows as the instance model keeps them (V40), written by hand: the tunnel needs only an
 * owner, a name and the hidden job whose run is running.
 */
final class Instances {
  private Instances() {}

  /** Makes job {@code jobId} the hidden job of {@code owner}'s running instance {@code name}. */
  static void running(OceanServer server, long jobId, String owner, String name) {
    server
        .database()
        .jdbi()
        .useHandle(
            h -> {
              long userId =
                  h.createQuery("SELECT id FROM users WHERE email = ?")
                      .bind(0, owner)
                      .mapTo(Long.class)
                      .one();
              h.execute("UPDATE jobs SET kind = 'instance' WHERE id = ?", jobId);
              h.execute(
                  "INSERT INTO instances (user_id, name, job_id, state, created_at) VALUES (?, ?,"
                      + " ?, 'running', ?)",
                  userId,
                  name,
                  jobId,
                  Instant.now().toEpochMilli());
            });
  }

  /** When a connection to the instance last carried traffic, or null. */
  static Long lastActivity(OceanServer server, String name) {
    return server
        .database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT last_activity_at FROM instances WHERE name = ?")
                    .bind(0, name)
                    .mapTo(Long.class)
                    .findFirst()
                    .orElse(null));
  }
}
