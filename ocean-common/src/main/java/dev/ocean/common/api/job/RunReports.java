package dev.ocean.common.api.job;

import java.util.List;

/**
 * Many run reports in one request ({@code POST /agent/reports}): an agent sends what it has to
 * report about all its runs at once, e.g. {@code running} and {@code succeeded} of a short run
 * together. The server applies them in order in one transaction; each report is idempotent (a
 * retried batch after a lost answer changes nothing twice) and a bad one gets its own {@link
 * Result} without taking the others down.
 *
 * @param reports in the order they happened; a run's {@code running} before its end
 */
public record RunReports(List<Item> reports) {
  public RunReports {
    reports = reports == null ? List.of() : List.copyOf(reports);
  }

  /**
   * One report, optionally with the last bytes of the run's log: a short run's whole output then
   * travels with its end instead of in a request of its own.
   *
   * @param runId the run, {@code JOB-INDEX.ATTEMPT}
   * @param report its new state
   * @param logOffset where {@code log} starts in the run's log; null when there is no log
   * @param log log bytes stored before the state changes (at most {@link #MAX_LOG} bytes), as for
   *     {@code POST runs/ID/logs?offset}: bytes the server has already are skipped, a gap is
   *     refused with 409; null when none
   */
  public record Item(String runId, RunReport report, Long logOffset, byte[] log) {}

  /** The most log bytes one {@link Item} may carry; more goes through {@code runs/ID/logs}. */
  public static final int MAX_LOG = 64 * 1024;

  /**
   * The answer: one result per report, in the same order.
   *
   * @param results what became of each report
   * @param work when the request asked to poll too ({@code wait}, {@code known} as for {@code GET
   *     /agent/work}): the poll's answer once the reports are applied, so an agent needs one
   *     request per round of short runs; null otherwise
   */
  public record Answer(List<Result> results, Work work) {
    public Answer {
      results = results == null ? List.of() : List.copyOf(results);
    }
  }

  /**
   * What became of one report.
   *
   * @param runId the run as the report named it
   * @param status the HTTP status the report would have got alone: 200 taken (or already known),
   *     409 the run already ended or the attempt is over, 404 not on this node, 400 invalid
   * @param detail why, when not 200; null otherwise
   * @param logSize when the report carried log bytes and was taken: how many bytes of the run's log
   *     the server holds now; null otherwise
   */
  public record Result(String runId, int status, String detail, Long logSize) {
    public boolean taken() {
      return status == 200;
    }
  }
}
