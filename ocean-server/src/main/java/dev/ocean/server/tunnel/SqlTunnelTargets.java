package dev.ocean.server.tunnel;

import dev.ocean.common.api.agent.RunId;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link TunnelTargets} read from the {@code instances} table and its job's running run. */
public final class SqlTunnelTargets implements TunnelTargets {
  private final Jdbi jdbi;

  public SqlTunnelTargets(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Optional<Target> find(long userId, String instance) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT i.user_id, r.node, r.job_id, r.run_index, r.attempt FROM instances i"
                        + " JOIN runs r ON r.job_id = i.job_id AND r.state = 'running'"
                        + " WHERE i.name = ? AND i.user_id = ? AND i.deleted_at IS NULL")
                .bind(0, instance)
                .bind(1, userId)
                .map(
                    (rs, ctx) ->
                        new Target(
                            rs.getLong("user_id"),
                            instance,
                            rs.getString("node"),
                            new RunId(
                                    rs.getLong("job_id"),
                                    rs.getInt("run_index"),
                                    rs.getInt("attempt"))
                                .toString()))
                .findFirst());
  }

  @Override
  public Optional<String> notRunning(long userId, String instance) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT state FROM instances WHERE name = ? AND user_id = ? AND deleted_at IS"
                        + " NULL AND state <> 'running'")
                .bind(0, instance)
                .bind(1, userId)
                .mapTo(String.class)
                .findFirst());
  }

  @Override
  public void recordActivity(Target target, Instant at) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE instances SET last_activity_at = ? WHERE name = ? AND user_id = ? AND"
                        + " deleted_at IS NULL")
                .bind(0, at.toEpochMilli())
                .bind(1, target.instance())
                .bind(2, target.userId())
                .execute());
  }
}
