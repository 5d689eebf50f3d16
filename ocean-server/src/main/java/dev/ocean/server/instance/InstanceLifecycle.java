package dev.ocean.server.instance;

import dev.ocean.common.api.agent.EndReason;
import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.job.InstanceJobs;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of {@code instances.state}: each change reads the row, checks the move against
 * {@link InstanceState}'s table and writes it with an UPDATE guarded by the state it read, so an
 * instance that changed in between is left alone. Runs inside the caller's transaction.
 */
final class InstanceLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceLifecycle.class);

  private final Clock clock;
  private final InstanceJobs jobs;

  InstanceLifecycle(Clock clock, InstanceJobs jobs) {
    this.clock = clock;
    this.jobs = jobs;
  }

  /** A live instance's identity and state. */
  record Row(long id, long userId, String name, long jobId, InstanceState state) {}

  /** Inserts a new instance, pending; returns its id. */
  long create(Handle h, long userId, String name, long jobId) {
    return h.createUpdate(
            "INSERT INTO instances (user_id, name, job_id, state, created_at) VALUES (?, ?, ?, ?,"
                + " ?)")
        .bind(0, userId)
        .bind(1, name)
        .bind(2, jobId)
        .bind(3, InstanceState.PENDING.wireName())
        .bind(4, clock.millis())
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /** A live (not deleted) instance's {@link Row}, for a condition appended after AND. */
  private static final String LIVE =
      "SELECT id, user_id, name, job_id, state FROM instances WHERE deleted_at IS NULL AND ";

  /** The user's live (not deleted) instance of that name. */
  Optional<Row> find(Handle h, long userId, String name) {
    return h.createQuery(LIVE + "user_id = ? AND name = ?")
        .bind(0, userId)
        .bind(1, name)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  /** The user's instances whose current run is queued or on a node, by id. */
  java.util.List<Row> activeOf(Handle h, long userId) {
    return h.createQuery(LIVE + "user_id = ? ORDER BY id")
        .bind(0, userId)
        .map((rs, ctx) -> row(rs))
        .filter(r -> r.state().isActive())
        .list();
  }

  Optional<Row> byId(Handle h, long id) {
    return h.createQuery(LIVE + "id = ?").bind(0, id).map((rs, ctx) -> row(rs)).findOne();
  }

  private Optional<Row> byJob(Handle h, long jobId) {
    return h.createQuery(LIVE + "job_id = ?").bind(0, jobId).map((rs, ctx) -> row(rs)).findOne();
  }

  private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Row(
        rs.getLong("id"),
        rs.getLong("user_id"),
        rs.getString("name"),
        rs.getLong("job_id"),
        InstanceState.fromWireName(rs.getString("state")));
  }

  /** Moves the instance, or throws a conflict saying why it may not. */
  void move(Handle h, Row r, InstanceState to, String reason) {
    if (!r.state().canTransitionTo(to) || !write(h, r, to, reason)) {
      throw new Conflict(
          "instance " + r.name() + " is " + r.state().wireName() + ", so it cannot be " + verb(to));
    }
  }

  /** The instance's current run changed: the instance follows it (called by the job package). */
  void follow(Handle h, long jobId) {
    Optional<Row> found = byJob(h, jobId);
    if (found.isEmpty()) {
      return; // being created (its row comes next) or deleted
    }
    Row r = found.get();
    var run = jobs.current(h, jobId).orElse(null);
    if (run == null) {
      return;
    }
    InstanceState to = InstanceState.followingRun(run.state());
    String reason = reason(to, run);
    if (to == r.state()) {
      h.createUpdate("UPDATE instances SET state_reason = ? WHERE id = ? AND state = ?")
          .bind(0, reason)
          .bind(1, r.id())
          .bind(2, r.state().wireName())
          .execute();
      return;
    }
    if (!r.state().canTransitionTo(to)) {
      LOG.warn("instance {} is {}; its run became {}, ignored", r.id(), r.state(), run.state());
      return;
    }
    write(h, r, to, reason);
  }

  /**
   * Stores where users reach the instance; a null host key keeps the one it had. A port of a
   * service the init did not start (the image has no sshd or code-server) is not stored, so no SSH
   * command or editor URL points at nothing.
   */
  void reached(Handle h, long jobId, InstanceEndpoints e) {
    h.createUpdate(
            "UPDATE instances SET address = ?, ssh_port = ?, editor_port = ?, host_key ="
                + " COALESCE(?, host_key) WHERE job_id = ? AND deleted_at IS NULL")
        .bind(0, e.address())
        .bind(1, Boolean.FALSE.equals(e.sshd()) ? null : e.sshPort())
        .bind(2, Boolean.FALSE.equals(e.editor()) ? null : e.editorPort())
        .bind(3, e.hostKey())
        .bind(4, jobId)
        .execute();
  }

  private static String reason(InstanceState to, InstanceJobs.CurrentRun run) {
    String why = run.reason();
    return switch (to) {
      case FAILED -> {
        if (run.node() != null && EndReason.NODE_LOST.text().equals(why)) {
          yield "node " + run.node() + " was lost";
        }
        if (run.node() != null && "node removed".equals(why)) {
          yield "node " + run.node() + " was removed";
        }
        yield why == null ? "its container failed" : why;
      }
      case STOPPED ->
          run.state().equals("succeeded")
              ? "its init exited by itself"
              : why == null ? "stopped" : why;
      default -> null;
    };
  }

  private boolean write(Handle h, Row r, InstanceState to, String reason) {
    long now = clock.millis();
    String set =
        switch (to) {
          case RUNNING -> ", started_at = " + now;
          case STOPPED, FAILED -> ", stopped_at = " + now;
          case DELETED ->
              ", deleted_at = " + now + ", stopped_at = COALESCE(stopped_at, " + now + ")";
          default -> "";
        };
    return h.createUpdate(
                "UPDATE instances SET state = ?, state_reason = ?"
                    + set
                    + " WHERE id = ? AND state = ?")
            .bind(0, to.wireName())
            .bind(1, reason)
            .bind(2, r.id())
            .bind(3, r.state().wireName())
            .execute()
        == 1;
  }

  private static String verb(InstanceState to) {
    return switch (to) {
      case PENDING -> "started (it must be stopped or failed)";
      case STOPPED -> "stopped";
      case DELETED -> "deleted";
      default -> to.wireName();
    };
  }
}
