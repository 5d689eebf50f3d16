package dev.ocean.common.api.agent;

import dev.ocean.common.Version;

/**
 * The agent protocol's one home: the header that names its version, the paths the agent calls
 * (relative to {@code /api/v1}) and their query parameters, shared by the server and the agent so
 * neither spells them on its own.
 *
 * <pre>
 *   POST register ─► (POST heartbeat every few s) + (GET work?wait&amp;known&amp;complete, long poll)
 *        POST runs/ID/status | POST reports (many runs) · GET|POST runs/ID/logs?offset ─► POST leave
 * </pre>
 *
 * <p>A run's ID is a {@link RunId}, {@code JOB-INDEX.ATTEMPT}: calls about an attempt that is no
 * longer current are refused with 409.
 */
public final class AgentProtocol {
  /** The header every agent request carries with the protocol version it speaks. */
  public static final String HEADER = "Ocean-Agent-Protocol";

  /** The version this build speaks. */
  public static final int VERSION = Version.AGENT_PROTOCOL;

  public static final String REGISTER = "/agent/register";
  public static final String HEARTBEAT = "/agent/heartbeat";
  public static final String LEAVE = "/agent/leave";
  public static final String WORK = "/agent/work";
  public static final String RUNS = "/agent/runs/";

  /**
   * Reports about many runs in one request ({@link dev.ocean.common.api.job.RunReports}), each with
   * the run's last log bytes if it likes (a short run's whole output goes with its end); with
   * {@link #WAIT} and {@link #KNOWN} it polls for work too. A server without it answers 404, and
   * the agent then reports run by run.
   */
  public static final String REPORTS = "/agent/reports";

  public static final String TUNNELS = "/agent/tunnels/";

  /** Query parameter of {@link #WORK}: seconds to wait for news. */
  public static final String WAIT = "wait";

  /** Query parameter of {@link #WORK}: the runs the agent has, comma-separated. */
  public static final String KNOWN = "known";

  /**
   * Query parameter of {@link #WORK}: {@code true} when {@link #KNOWN} is every run the agent has
   * (earlier runs re-adopted), so the server fails the runs it lacks.
   */
  public static final String COMPLETE = "complete";

  private AgentProtocol() {}

  /** {@code /agent/runs/ID/status} for an already URL-safe run id. */
  public static String status(String runIdSegment) {
    return RUNS + runIdSegment + "/status";
  }

  /** {@code /agent/tunnels/ID}: where the agent connects back to open a tunnel it was asked for. */
  public static String tunnel(String tunnelId) {
    return TUNNELS + tunnelId;
  }

  /** {@code /agent/runs/ID/logs} for an already URL-safe run id. */
  public static String logs(String runIdSegment) {
    return RUNS + runIdSegment + "/logs";
  }
}
