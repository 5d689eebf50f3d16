package dev.ocean.server.job;

import java.util.HashMap;
import java.util.Map;

/**
 * Which jobs a list shows, as a condition over {@code jobs j} and its arguments: one user's jobs
 * (everyone's for a null user) in one state, or else the active ones unless all states are asked
 * for. An instance's hidden job is the instance's business: job lists never show it.
 */
record JobFilter(String where, Map<String, Object> args) {

  static JobFilter of(Long userId, String state, boolean allStates) {
    Map<String, Object> args = new HashMap<>();
    String where = userId == null ? "j.kind = 'job'" : "j.kind = 'job' AND j.user_id = :u";
    if (userId != null) {
      args.put("u", userId);
    }
    if (state != null) {
      where += " AND j.state = :s";
      args.put("s", state);
    } else if (!allStates) {
      where += " AND j.state IN ('pending', 'running')";
    }
    return new JobFilter(where, args);
  }
}
