package dev.ocean.agent.work;

import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClientException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers run reports, retrying with backoff while the server is away, so that an exit code is
 * never lost to a server restart. The report waits in the calling thread, which is the run's own.
 */
final class Reporter {
  private static final Logger LOG = LoggerFactory.getLogger(Reporter.class);

  private final WorkApi api;
  private final WorkTiming timing;
  private final BooleanSupplier closed;

  Reporter(WorkApi api, WorkTiming timing, BooleanSupplier closed) {
    this.api = api;
    this.timing = timing;
    this.closed = closed;
  }

  /**
   * Delivers {@code report}, retrying until the server takes it.
   *
   * @return false when the server already considers the run ended or refuses the report for good
   * @throws InterruptedException when the agent shuts down first; the report is re-derived after a
   *     restart
   */
  boolean deliver(String runId, RunReport report) throws InterruptedException {
    Backoff backoff = timing.backoff();
    while (true) {
      if (closed.getAsBoolean()) {
        throw new InterruptedException("agent closing before run " + runId + " was reported");
      }
      try {
        boolean taken = api.report(runId, report);
        if (!taken) {
          LOG.info("run {}: the server already ended it; dropped report {}", runId, report.state());
        }
        return taken;
      } catch (OceanApiException e) {
        if (!WorkApi.retryable(e)) {
          LOG.warn("run {}: the server refused report {}: {}", runId, report, e.getMessage());
          return false;
        }
        pause(runId, report, e, backoff.next());
      } catch (OceanClientException e) {
        pause(runId, report, e, backoff.next());
      }
    }
  }

  /**
   * Like {@link #deliver(String, RunReport)}, shipping {@code log} (the run's last bytes, from
   * {@code logOffset}) first, so the server has the whole log before the run ends; null: none.
   */
  boolean deliver(String runId, RunReport report, Long logOffset, byte[] log)
      throws InterruptedException {
    Backoff backoff = timing.backoff();
    while (log != null) {
      try {
        api.appendLog(runId, logOffset, log);
        break;
      } catch (LogGapException e) {
        LOG.warn("run {}: the server lacks its log before byte {}", runId, logOffset);
        break;
      } catch (OceanApiException e) {
        if (!WorkApi.retryable(e)) {
          break; // the report says what the server makes of the run
        }
        pause(runId, report, e, backoff.next());
      } catch (OceanClientException e) {
        pause(runId, report, e, backoff.next());
      }
    }
    return deliver(runId, report);
  }

  private void pause(String runId, RunReport report, RuntimeException e, Duration wait)
      throws InterruptedException {
    if (closed.getAsBoolean()) {
      throw new InterruptedException("agent closing before run " + runId + " was reported");
    }
    LOG.warn(
        "run {}: cannot report {} yet: {}; retrying in {} ms",
        runId,
        report.state(),
        e.getMessage(),
        wait.toMillis());
    Thread.sleep(wait);
  }
}
