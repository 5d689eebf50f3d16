package dev.ocean.agent.work;

import dev.ocean.common.api.job.RunReports;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.client.OceanApiException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The work loop's poll, carrying the reports queued meanwhile ({@link ReportOutbox#takeForPoll}): a
 * round of short runs that all ended costs this one request ({@code POST
 * /agent/reports?wait&known}), which also waits for the next work; a round with runs that go on
 * asks for an answer at once; with nothing to report it is {@code GET /agent/work}.
 */
final class ReportingPoll {
  private final WorkApi api;
  private final ReportOutbox reports;
  private final WorkTiming timing;

  ReportingPoll(WorkApi api, ReportOutbox reports, WorkTiming timing) {
    this.api = api;
    this.reports = reports;
    this.timing = timing;
  }

  /**
   * One poll, carrying the reports queued meanwhile ({@link ReportOutbox#takeForPoll}): a round of
   * short runs that all ended costs this one request, which also waits for the next work; a round
   * with runs that go on asks for an answer at once.
   */
  Work next(Set<String> runs, boolean recovered) {
    ReportOutbox.Round round;
    try {
      round = reports.takeForPoll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Work(List.of(), List.of(), null);
    }
    Set<String> known = new TreeSet<>(runs);
    known.removeAll(round.ended()); // the server has their end once it read this request
    if (round.isEmpty()) {
      try {
        return api.poll(timing.pollWait(), known, recovered);
      } finally {
        reports.polled(round, null);
      }
    }
    Duration wait = round.endsAll() ? timing.pollWait() : Duration.ZERO;
    RunReports.Answer answer;
    try {
      answer = api.reportsAndPoll(round.items(), wait, known, recovered);
    } catch (OceanApiException e) {
      reports.pollFailed(round, e.status() == 404);
      if (e.status() == 404) {
        return new Work(List.of(), List.of(), null); // an older server: poll alone next time
      }
      throw e;
    } catch (RuntimeException e) {
      reports.pollFailed(round, false);
      throw e;
    }
    reports.polled(round, answer);
    return answer.work() == null ? new Work(List.of(), List.of(), null) : answer.work();
  }
}
