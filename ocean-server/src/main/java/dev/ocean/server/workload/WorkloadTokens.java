package dev.ocean.server.workload;

import dev.ocean.common.api.agent.RunId;
import dev.ocean.server.user.Principal;
import dev.ocean.server.user.Tokens;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The tokens runs get in {@code OCEAN_TOKEN}: minted when a run is handed to its agent, scoped to
 * the job's owner and that run attempt (and, for an instance's run, that instance), stored only as
 * hashes. A token works only while its run is assigned or running and not being cancelled, so it
 * dies with the run however the run ends (settled, cancelled, stopped, node lost, requeued); {@link
 * #revokeEnded} then marks it revoked. They live apart from login tokens, so {@code ocean token
 * list} never shows them.
 */
public final class WorkloadTokens {
  /** Workload tokens start with this, login tokens with {@code oc_}. */
  public static final String PREFIX = "ow_";

  private static final int REMEMBERED = 4096;
  private static final String ACTIVE_RUN =
      "r.job_id = w.job_id AND r.run_index = w.run_index AND r.attempt = w.attempt AND r.state IN"
          + " ('assigned', 'running') AND r.cancel_requested_at IS NULL";

  private final Jdbi jdbi;
  private final Clock clock;

  /**
   * Secrets handed out, by run name: an answer the agent lost is handed out again with the same
   * token. After a restart a run not yet taken gets a new one and the old one is revoked.
   */
  private final Map<String, String> handedOut =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > REMEMBERED;
            }
          });

  public WorkloadTokens(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** {@code OCEAN_TOKEN} for a run being handed to its agent; a {@code job.RunEnv}. */
  public Map<String, String> env(Handle h, RunId run) {
    String secret = handedOut.get(run.toString());
    if (secret == null) {
      secret = mint(h, run);
      handedOut.put(run.toString(), secret);
    }
    return Map.of("OCEAN_TOKEN", secret);
  }

  private String mint(Handle h, RunId run) {
    long now = clock.millis();
    h.createUpdate(
            "UPDATE workload_tokens SET revoked_at = ? WHERE job_id = ? AND run_index = ? AND"
                + " attempt = ? AND revoked_at IS NULL")
        .bind(0, now)
        .bind(1, run.jobId())
        .bind(2, run.run())
        .bind(3, run.attempt())
        .execute();
    String secret = Tokens.newSecret(PREFIX);
    h.createUpdate(
            "INSERT INTO workload_tokens (user_id, token_hash, job_id, run_index, attempt,"
                + " created_at) SELECT user_id, ?, id, ?, ?, ? FROM jobs WHERE id = ?")
        .bind(0, Tokens.hash(secret))
        .bind(1, run.run())
        .bind(2, run.attempt())
        .bind(3, now)
        .bind(4, run.jobId())
        .execute();
    return secret;
  }

  /** The owner behind a workload token whose run is still active; empty for anything else. */
  public Optional<Principal> authenticate(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return Optional.empty();
    }
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT w.id, w.job_id, w.run_index, u.id AS user_id, u.email, i.id AS"
                        + " instance_id FROM workload_tokens w JOIN users u ON u.id = w.user_id"
                        + " JOIN runs r ON "
                        + ACTIVE_RUN
                        + " LEFT JOIN instances i ON i.job_id = w.job_id AND i.deleted_at IS NULL"
                        + " WHERE w.token_hash = ? AND w.revoked_at IS NULL AND u.status ="
                        + " 'active'")
                .bind(0, Tokens.hash(token))
                .map(
                    (rs, ctx) -> {
                      long instance = rs.getLong("instance_id");
                      Long instanceId = rs.wasNull() ? null : instance;
                      return new Principal(
                          rs.getLong("user_id"),
                          rs.getString("email"),
                          false,
                          rs.getLong("id"),
                          new Principal.Workload(
                              rs.getLong("job_id"), rs.getInt("run_index"), instanceId));
                    })
                .findFirst());
  }

  /** Marks the tokens of runs that ended as revoked; returns how many. */
  public int revokeEnded() {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                    "UPDATE workload_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND NOT"
                        + " EXISTS (SELECT 1 FROM runs r, workload_tokens w WHERE w.id ="
                        + " workload_tokens.id AND "
                        + ACTIVE_RUN
                        + ")")
                .bind(0, clock.millis())
                .execute());
  }
}
