package dev.ocean.server.job;

import dev.ocean.server.ServerConfig;
import dev.ocean.server.store.PostgresFixture;

/**
 * {@link LogFollowTest} with the logs in PostgreSQL: followers take what an append just stored from
 * the server's memory, and still get every byte once, in order.
 */
class LogFollowOnPostgresTest extends LogFollowTest {
  @Override
  ServerConfig store(ServerConfig config) {
    return config.dbUrl(PostgresFixture.shared().createDatabase("log_follow"));
  }
}
