package dev.ocean.agent.work;

import dev.ocean.agent.daemon.NodeClient;
import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.RunReports;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The agent's side of the job protocol, one method per server endpoint: long-poll for work, report
 * a run's state, and ship its log by byte offset. Failures surface as the client's exceptions; the
 * protocol's two meaningful conflicts (run already ended, log gap) are translated here.
 */
public final class WorkApi {

  /** Read timeout of the long poll; above any {@code wait} the agent asks for. */
  public static final Duration POLL_READ_TIMEOUT = Duration.ofSeconds(35);

  private final Duration pollReadTimeout;
  private volatile NodeClient client;
  private volatile NodeClient pollClient;

  /**
   * An API over {@code client} (node credential and protocol header already set, e.g. {@code
   * AgentDaemon.agentClient}); long polls use {@code pollReadTimeout}, which must exceed the {@code
   * wait} they ask for.
   */
  public WorkApi(NodeClient client, Duration pollReadTimeout) {
    this.pollReadTimeout = pollReadTimeout;
    use(client);
  }

  /** Sends every later call with {@code newClient}, e.g. after the node credential was rotated. */
  public void use(NodeClient newClient) {
    this.client = newClient;
    this.pollClient = newClient.withReadTimeout(pollReadTimeout);
  }

  /** The full client of the latest credential, for calls beyond this API (tunnels). */
  public OceanClient client() {
    return client.oceanClient();
  }

  public WorkApi(NodeClient client) {
    this(client, POLL_READ_TIMEOUT);
  }

  /** The server URL this agent reaches the server at; runs get it as {@code OCEAN_SERVER}. */
  public String serverUrl() {
    return client.baseUrl();
  }

  /** Runs to start and stop; empty after {@code wait} when nothing changed. */
  public Work poll(Duration wait, Collection<String> known) {
    return poll(wait, known, false);
  }

  /**
   * Like {@link #poll(Duration, Collection)}; {@code complete} says that {@code known} holds every
   * run this agent has (earlier runs re-adopted), so the server fails the runs it lacks.
   */
  public Work poll(Duration wait, Collection<String> known, boolean complete) {
    return pollClient.get(
        AgentProtocol.WORK + query(Math.max(1, wait.toSeconds()), known, complete), Work.class);
  }

  /**
   * Reports a run's new state.
   *
   * @return false when the server already considers the run ended (HTTP 409), so the report is moot
   */
  public boolean report(String runId, RunReport report) {
    try {
      client.post(run(runId) + "/status", report, Object.class);
      return true;
    } catch (OceanApiException e) {
      if (e.status() == 409) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Reports about many runs in one request ({@code POST /agent/reports}), in order; one result per
   * report. A server without batches answers 404 (an {@link OceanApiException}).
   */
  public RunReports.Answer reports(List<RunReports.Item> items) {
    return client.post(AgentProtocol.REPORTS, new RunReports(items), RunReports.Answer.class);
  }

  /**
   * Reports (as {@link #reports}) and then a poll for work (as {@link #poll(Duration, Collection,
   * boolean)}) in one request; {@code wait} may be zero, for an answer at once.
   */
  public RunReports.Answer reportsAndPoll(
      List<RunReports.Item> items, Duration wait, Collection<String> known, boolean complete) {
    return pollClient.post(
        AgentProtocol.REPORTS + query(wait.toSeconds(), known, complete),
        new RunReports(items),
        RunReports.Answer.class);
  }

  private static String query(long waitSeconds, Collection<String> known, boolean complete) {
    String q =
        "?"
            + AgentProtocol.WAIT
            + "="
            + waitSeconds
            + (complete ? "&" + AgentProtocol.COMPLETE + "=true" : "");
    if (!known.isEmpty()) {
      q +=
          "&"
              + AgentProtocol.KNOWN
              + "="
              + String.join(",", known.stream().map(NodeClient::segment).toList());
    }
    return q;
  }

  /** How many bytes of the run's log the server holds. */
  public long logSize(String runId) {
    return client.get(run(runId) + "/logs", LogAck.class).size();
  }

  /**
   * Ships log bytes that start at {@code offset} of the run's spool; returns the size the server
   * now holds.
   *
   * @throws LogGapException when {@code offset} is beyond what the server holds
   */
  public long appendLog(String runId, long offset, byte[] bytes) {
    try {
      return client
          .postBytes(
              run(runId) + "/logs?offset=" + offset,
              bytes,
              "application/octet-stream",
              LogAck.class)
          .size();
    } catch (OceanApiException e) {
      if (e.status() == 409) {
        throw new LogGapException(runId, offset);
      }
      throw e;
    }
  }

  /** True for server answers worth retrying: it is away, overloaded or not yet ready. */
  static boolean retryable(OceanApiException e) {
    int s = e.status();
    return s >= 500 || s == 408 || s == 429 || s == 401;
  }

  private static String run(String runId) {
    return AgentProtocol.RUNS + NodeClient.segment(runId);
  }
}
