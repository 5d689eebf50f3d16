package dev.ocean.agent.work;

import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.RunReports;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the batches of run reports {@link ReportOutbox} sends on its own ({@code POST
 * /agent/reports}), retrying while the server is away, and gives every report the server's verdict.
 * Against a server without batches (404) each report goes alone, its log bytes first.
 */
final class ReportDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(ReportDelivery.class);

  /** A report waiting to be delivered; {@code taken} completes with the server's verdict. */
  record QueuedReport(
      String runId,
      RunReport report,
      Long logOffset,
      byte[] log,
      CompletableFuture<Boolean> taken) {
    boolean ends() {
      return !report.state().equals("running");
    }

    int logBytes() {
      return log == null ? 0 : log.length;
    }
  }

  private final WorkApi api;
  private final WorkTiming timing;
  private final Reporter alone;
  private final BooleanSupplier closed;

  /** Whether the server takes batches (and so log bytes with a report); true until it says no. */
  volatile boolean batches = true;

  ReportDelivery(WorkApi api, WorkTiming timing, BooleanSupplier closed) {
    this.api = api;
    this.timing = timing;
    this.closed = closed;
    this.alone = new Reporter(api, timing, closed);
  }

  /** Delivers one batch, retrying while the server is away; every report gets its verdict. */
  void deliver(List<QueuedReport> batch) {
    Backoff backoff = timing.backoff();
    List<QueuedReport> left = batch;
    while (!left.isEmpty()) {
      if (!batches) {
        left.forEach(this::deliverAlone);
        return;
      }
      try {
        RunReports.Answer answer = api.reports(left.stream().map(ReportDelivery::item).toList());
        left = settle(left, answer);
        if (left.isEmpty()) {
          return;
        }
      } catch (OceanApiException e) {
        if (e.status() == 404) {
          LOG.info("the server takes no batched reports; reporting run by run");
          batches = false;
          continue;
        }
        if (!WorkApi.retryable(e)) {
          LOG.warn("the server refused {} reports: {}", left.size(), e.getMessage());
          left.forEach(p -> p.taken().complete(false));
          return;
        }
        LOG.warn("cannot deliver {} reports yet: {}", left.size(), e.getMessage());
      } catch (OceanClientException e) {
        LOG.warn("cannot deliver {} reports yet: {}", left.size(), e.getMessage());
      }
      if (!pause(backoff.next())) {
        left.forEach(p -> p.taken().cancel(false));
        return;
      }
    }
  }

  /** Completes the reports the server decided on; returns those to send again (it was busy). */
  static List<QueuedReport> settle(List<QueuedReport> sent, RunReports.Answer answer) {
    // A batch sent again after a lost answer finds its runs ended: their `running` is refused
    // (409), yet it was taken the first time, as the end taken after it shows.
    Set<String> endTaken = new HashSet<>();
    for (int i = 0; i < sent.size() && i < answer.results().size(); i++) {
      if (sent.get(i).ends() && answer.results().get(i).taken()) {
        endTaken.add(sent.get(i).runId());
      }
    }
    List<QueuedReport> again = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      QueuedReport p = sent.get(i);
      RunReports.Result r = i < answer.results().size() ? answer.results().get(i) : null;
      if (r == null || r.status() >= 500 || r.status() == 429) {
        again.add(p);
      } else if (r.taken() || (!p.ends() && endTaken.contains(p.runId()))) {
        p.taken().complete(true);
      } else {
        if (r.status() == 409) {
          LOG.info("run {}: the server already ended it; dropped report {}", p.runId(), state(p));
        } else {
          LOG.warn("run {}: the server refused report {}: {}", p.runId(), state(p), r.detail());
        }
        p.taken().complete(false);
      }
    }
    return again;
  }

  /** One report to a server without batches: its log bytes first, then the report. */
  private void deliverAlone(QueuedReport p) {
    try {
      p.taken().complete(alone.deliver(p.runId(), p.report(), p.logOffset(), p.log()));
    } catch (InterruptedException e) {
      p.taken().cancel(false);
    }
  }

  private boolean pause(Duration wait) {
    if (closed.getAsBoolean()) {
      return false;
    }
    try {
      Thread.sleep(wait);
      return !closed.getAsBoolean();
    } catch (InterruptedException e) {
      return false;
    }
  }

  private static String state(QueuedReport p) {
    return p.report().state();
  }

  static RunReports.Item item(QueuedReport p) {
    return new RunReports.Item(p.runId(), p.report(), p.logOffset(), p.log());
  }
}
