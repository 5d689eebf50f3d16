package dev.ocean.server.instance;

import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.api.instance.InstanceSpec;
import dev.ocean.server.job.InstanceJobs;
import dev.ocean.server.job.JobStore;
import dev.ocean.server.scheduler.Wait;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Handle;

/**
 * Reads instances into their API form: one query for any number of them, joined with their hidden
 * job and current run; the queue place and wait reason of a pending one come from the scheduler's
 * last pass.
 */
final class InstanceViews {
  /** Why a running instance may not answer: its node went silent (the instance grace runs). */
  static final String NODE_SILENT =
      "node %s is not answering; the instance is kept for its agent to come back and fails only"
          + " after the instance grace (ocean-server --instance-grace)";

  private final InstanceJobs jobs;
  private BiFunction<Handle, Long, Instance.IdleOutlook> outlook = (h, id) -> null;

  InstanceViews(InstanceJobs jobs) {
    this.jobs = jobs;
  }

  /** Live instances matching {@code where} (over {@code instances i}), by owner and name. */
  List<Instance> list(Handle h, String where, Map<String, ?> args) {
    return h
        .createQuery(
            "SELECT i.*, u.email, j.machine_type, j.image_name, j.volume_name, j.reason AS"
                + " job_reason, r.run_index, r.state AS run_state, r.node, r.gpus,"
                + " r.cancel_requested_at, n.state AS node_state FROM instances i JOIN users u ON"
                + " u.id = i.user_id JOIN jobs j ON j.id = i.job_id LEFT JOIN runs r ON r.job_id ="
                + " i.job_id AND r.run_index = (SELECT MAX(x.run_index) FROM runs x WHERE x.job_id"
                + " = i.job_id) LEFT JOIN nodes n ON n.name = r.node"
                + " WHERE i.deleted_at IS NULL AND "
                + where
                + " ORDER BY u.email, i.name")
        .bindMap(args)
        .map((rs, ctx) -> Map.entry(rs.getLong("id"), instance(rs)))
        .list()
        .stream()
        .map(e -> withIdle(e.getValue(), outlook.apply(h, e.getKey())))
        .toList();
  }

  /** Where the idle-stop outlook of an instance comes from (none until idle stop is wired). */
  void outlookFrom(BiFunction<Handle, Long, Instance.IdleOutlook> source) {
    this.outlook = source;
  }

  private static Instance withIdle(Instance i, Instance.IdleOutlook idle) {
    if (idle == null) {
      return i;
    }
    return new Instance(
        i.name(),
        i.user(),
        i.machineType(),
        i.image(),
        i.volume(),
        i.reason(),
        i.state(),
        i.stateReason(),
        i.queuePosition(),
        i.node(),
        i.gpus(),
        i.address(),
        i.sshPort(),
        i.editorPort(),
        i.sshCommand(),
        i.editorUrl(),
        i.hostKey(),
        i.createdAt(),
        i.startedAt(),
        i.stoppedAt(),
        idle,
        i.holdsQuota());
  }

  /** One user's instances (every user's for a null {@code userId}). */
  List<Instance> of(Handle h, Long userId) {
    Map<String, Object> args = new HashMap<>();
    if (userId == null) {
      return list(h, "1 = 1", args);
    }
    args.put("u", userId);
    return list(h, "i.user_id = :u", args);
  }

  Instance one(Handle h, long id) {
    return list(h, "i.id = :id", Map.of("id", id)).getFirst();
  }

  private Instance instance(ResultSet rs) throws SQLException {
    String state = rs.getString("state");
    String reason = rs.getString("state_reason");
    Integer position = null;
    if (state.equals(InstanceState.PENDING.wireName())
        && "pending".equals(rs.getString("run_state"))) {
      Wait w = jobs.waitOf(rs.getLong("job_id"), rs.getInt("run_index"));
      position = w == null ? null : w.position();
      reason = w == null ? "waiting for the scheduler" : w.detail();
    } else if (rs.getObject("cancel_requested_at") != null
        && "running".equals(rs.getString("run_state"))) {
      reason = "stopping: node " + rs.getString("node") + " was asked to stop it";
    }
    boolean running = state.equals(InstanceState.RUNNING.wireName());
    if (running && "lost".equals(rs.getString("node_state"))) {
      reason = NODE_SILENT.formatted(rs.getString("node"));
    }
    // a restarted instance has stopped before; that time means nothing while it is up again
    boolean ended =
        state.equals(InstanceState.STOPPED.wireName())
            || state.equals(InstanceState.FAILED.wireName());
    String address = rs.getString("address");
    Integer sshPort = integer(rs, "ssh_port");
    Integer editorPort = integer(rs, "editor_port");
    boolean reachable = running && address != null;
    return new Instance(
        rs.getString("name"),
        rs.getString("email"),
        rs.getString("machine_type"),
        rs.getString("image_name"),
        rs.getString("volume_name"),
        rs.getString("job_reason"),
        state,
        reason,
        position,
        rs.getString("node"),
        JobStore.gpus(rs.getString("gpus")),
        reachable ? address : null,
        reachable ? sshPort : null,
        reachable ? editorPort : null,
        reachable && sshPort != null ? sshCommand(address, sshPort) : null,
        reachable && editorPort != null ? "http://" + host(address) + ":" + editorPort + "/" : null,
        rs.getString("host_key"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        instant(rs, "started_at"),
        ended ? instant(rs, "stopped_at") : null,
        null,
        true);
  }

  /** {@code ssh -p PORT linuxbrew@ADDRESS}, as users type it. */
  static String sshCommand(String address, int port) {
    return "ssh -p " + port + " " + InstanceSpec.USER + "@" + address;
  }

  /** An IPv6 address in a URL goes in brackets. */
  private static String host(String address) {
    return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
  }

  private static Integer integer(ResultSet rs, String col) throws SQLException {
    int v = rs.getInt(col);
    return rs.wasNull() ? null : v;
  }

  private static Instant instant(ResultSet rs, String col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
