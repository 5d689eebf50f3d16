package dev.ocean.server.node;

import dev.ocean.common.Version;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.json.Json;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.store.Database;
import dev.ocean.server.user.PasswordHasher;
import dev.ocean.server.user.Principal;
import dev.ocean.server.user.UserService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Node services on a real SQLite file in {@code dir} with the test's clock (lost after 3 s,
 * heartbeat every second), and an admin who makes the join tokens nodes register with.
 */
final class NodeFixture {
  final Database db;
  final Principal admin;
  private final Clock clock;
  private final AuditLog audit;

  NodeFixture(Path dir, Clock clock) {
    this.clock = clock;
    this.db = Database.open(Database.sqliteUrl(dir));
    this.audit = new AuditLog(db.jdbi(), clock);
    UserService users =
        new UserService(
            db.jdbi(), clock, new PasswordHasher(4), audit, UserService.SignupMode.OPEN);
    users.ensureAdmin("admin@example.com", "Sea-Water-42!");
    this.admin =
        new Principal(
            users.findByEmail("admin@example.com").orElseThrow().id(),
            "admin@example.com",
            true,
            0,
            null);
  }

  /** A node service over the database: one per server of a cluster that shares it. */
  NodeService service() {
    return new NodeService(
        db.jdbi(),
        db.writes(),
        clock,
        audit,
        Json.newMapper(),
        new MetricsHistory(10),
        Duration.ofSeconds(3),
        1);
  }

  /** Registers node {@code name} with a fresh join token valid for {@code ttl}. */
  Registration.Accepted register(NodeService nodes, String name, String ttl, NodeFacts facts) {
    String token = nodes.tokens().create(admin, ttl).token();
    return nodes.register(
        new Registration(token, name, Version.VERSION, Version.AGENT_PROTOCOL, facts));
  }
}
