package dev.ocean.cli.job;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.OceanClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/**
 * Streams run logs and waits for jobs. A dropped connection is resumed from the last byte received,
 * so following a log never loses or repeats a line.
 */
final class JobFollow {
  private static final int RETRIES = 120;

  private final OceanClient client;
  private final OceanClient streaming;

  private java.util.function.Consumer<String> tell = message -> {};

  JobFollow(OceanClient client) {
    this.client = client;
    this.streaming = client.withReadTimeout(Duration.ZERO);
  }

  /** Says on {@code tell} (stderr) why a followed run waits, so a queued follow is not silent. */
  JobFollow telling(java.util.function.Consumer<String> tell) {
    this.tell = tell;
    return this;
  }

  /**
   * Runs {@code body} ({@code doing} job {@code jobId}: "following" or "waiting for"); when the
   * user ends this process meanwhile (Ctrl-C), says on stderr that only that stopped, and how to
   * stop the job itself.
   */
  <T> T detachable(long jobId, String doing, java.util.concurrent.Callable<T> body)
      throws Exception {
    return dev.ocean.cli.base.OnInterrupt.saying(
        () ->
            tell.accept(
                "Stopped "
                    + doing
                    + " job "
                    + jobId
                    + (queued(jobId)
                        ? "; it stays queued (`ocean job cancel " + jobId + "` removes it)."
                        : "; it keeps running (`ocean job cancel " + jobId + "` stops it).")),
        body::call);
  }

  /**
   * Whether the job has not started at all: "it keeps running" is untrue of a job that waits in the
   * queue (qa11 T9). Asked briefly, as the process ends; when unsure, it may be running.
   */
  private boolean queued(long jobId) {
    try {
      return "pending"
          .equals(
              client
                  .withReadTimeout(Duration.ofSeconds(2))
                  .get("/jobs/" + jobId, Job.class)
                  .state());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Says {@code message} on stderr where this follow tells the user things. */
  void say(String message) {
    tell.accept(message);
  }

  private void sayWhyItWaits(long jobId, int run) {
    try {
      Job j = client.get("/jobs/" + jobId, Job.class);
      if (j.runs() == null) {
        return;
      }
      for (Run r : j.runs()) {
        if (r.index() == run && r.state().equals("pending") && r.waitReason() != null) {
          String where = r.queuePosition() == null ? "" : " (queue #" + r.queuePosition() + ")";
          tell.accept(
              "Job " + jobId + " run " + run + " is waiting" + where + ": " + r.waitReason() + ".");
        }
      }
    } catch (OceanClientException e) {
      // only a courtesy: the follow itself says what is wrong
    }
  }

  /** Copies a run's log to {@code out}; with {@code follow} until the run ends. */
  void log(long jobId, int run, boolean follow, Integer tail, OutputStream out) throws IOException {
    String path = "/jobs/" + jobId + "/runs/" + run + "/logs?follow=" + follow;
    long offset = 0;
    boolean resumable = tail == null;
    boolean first = true;
    int failures = 0;
    Outage outage = new Outage(tell, client::baseUrl);
    if (follow) {
      sayWhyItWaits(jobId, run);
    }
    while (true) {
      String from = first && tail != null ? "&tail=" + tail : "&offset=" + offset;
      try (InputStream in = streaming.stream(path + from)) {
        first = false;
        failures = 0;
        outage.answered();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
          out.write(buf, 0, n);
          out.flush();
          offset += n;
          failures = 0;
        }
        return;
      } catch (OceanApiException e) {
        throw e;
      } catch (OceanClientException | IOException e) {
        if (!follow || !resumable || ++failures > RETRIES) {
          throw e instanceof OceanClientException oce
              ? oce
              : new OceanClientException("the log stream broke: " + e.getMessage(), e);
        }
        outage.failed();
        sleep();
      }
    }
  }

  Job await(long jobId) {
    int failures = 0;
    Outage outage = new Outage(tell, client::baseUrl);
    while (true) {
      try {
        Job j =
            client
                .withReadTimeout(Duration.ofSeconds(45))
                .get("/jobs/" + jobId + "/wait?timeout=30", Job.class);
        failures = 0;
        outage.answered();
        if (j.finishedAt() != null) {
          return j;
        }
      } catch (OceanApiException e) {
        throw e;
      } catch (OceanClientException e) {
        if (++failures > RETRIES) {
          throw e;
        }
        outage.failed();
        sleep();
      }
    }
  }

  /** What {@code job wait} exits with for a job that was cancelled: 128 + SIGTERM, as a shell. */
  static final int CANCELLED = 143;

  /**
   * The exit code {@code job wait} ends with: 0, the failed run's exit code, 143 when the job was
   * cancelled, or 1 for a run that failed without one; all but success say why on {@code tell}.
   */
  static int exitCode(Job j, java.util.function.Consumer<String> tell) {
    if (j.state().equals("succeeded")) {
      return ExitCodes.OK;
    }
    if (j.state().equals("cancelled")) {
      tell.accept("Job " + j.id() + " was cancelled" + cancelledWhy(j) + ".");
      return CANCELLED;
    }
    // the run whose exit code the job reports, else the first that failed
    List<Run> failedRuns = j.runs().stream().filter(r -> r.state().equals("failed")).toList();
    Run failed =
        failedRuns.stream()
            .filter(r -> r.exitCode() != null && r.exitCode().equals(j.exitCode()))
            .findFirst()
            .orElse(failedRuns.isEmpty() ? null : failedRuns.getFirst());
    int code = j.exitCode() == null || j.exitCode() == 0 ? ExitCodes.ERROR : j.exitCode();
    tell.accept("Job " + j.id() + " " + j.state() + ": " + why(failed, j.exitCode()) + ".");
    return code;
  }

  /**
   * Why a job the user did not cancel was, e.g. {@code : quota revoked (runs 1, 2); run 0
   * succeeded}; empty when the user cancelled it.
   */
  private static String cancelledWhy(Job j) {
    java.util.Map<String, List<Integer>> byReason = new java.util.LinkedHashMap<>();
    List<Integer> succeeded = new java.util.ArrayList<>();
    for (Run r : j.runs()) {
      if (r.state().equals("succeeded")) {
        succeeded.add(r.index());
      } else if (r.state().equals("cancelled")
          && r.reason() != null
          && !r.reason().equals("cancelled by user")) {
        byReason.computeIfAbsent(r.reason(), k -> new java.util.ArrayList<>()).add(r.index());
      }
    }
    if (byReason.isEmpty()) {
      return "";
    }
    List<String> parts = new java.util.ArrayList<>();
    byReason.forEach((reason, runs) -> parts.add(reason + " (" + runs(runs) + ")"));
    if (!succeeded.isEmpty()) {
      parts.add(runs(succeeded) + " succeeded");
    }
    return ": " + String.join("; ", parts);
  }

  private static String runs(List<Integer> indexes) {
    return (indexes.size() == 1 ? "run " : "runs ")
        + String.join(", ", indexes.stream().map(String::valueOf).toList());
  }

  private static String why(Run r, Integer jobExit) {
    if (r == null) {
      return jobExit == null ? "no run succeeded" : "exit code " + jobExit;
    }
    if (r.exitCode() != null && r.exitCode() != 0) {
      return "run " + r.index() + " exited with code " + r.exitCode();
    }
    return "run " + r.index() + ": " + (r.reason() == null ? "failed" : r.reason());
  }

  private static void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.ERROR, "interrupted");
    }
  }
}
