package dev.ocean.cli.job;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.ReaderWatch;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.validation.WholeNumbers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Print a job's logs; -f follows them until the run ends.")
public final class LogsCommand extends BaseCommand {
  /** The server's answer for a log it lost (410 Gone): the run ended, its stored bytes are gone. */
  private static final int LOST = 410;

  @Parameters(paramLabel = "JOB[/RUN]", description = "Job id, or job id and run index (12/3).")
  String target;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until the run ends.")
  boolean follow;

  @Option(names = "--tail", paramLabel = "N", description = "Start with the last N lines.")
  Integer tail;

  @Override
  public Integer call() throws Exception {
    long jobId;
    Integer run = null;
    try {
      int slash = target.indexOf('/');
      jobId = WholeNumbers.parseLong(slash < 0 ? target : target.substring(0, slash));
      if (slash >= 0) {
        run = WholeNumbers.parseInt(target.substring(slash + 1));
      }
    } catch (NumberFormatException e) {
      throw new CliException(
          ExitCodes.USAGE, "JOB[/RUN] must look like 12 or 12/3, not '" + target + "'");
    }
    if (tail != null && tail < 0) {
      throw new CliException(ExitCodes.USAGE, "--tail must not be negative");
    }
    var client = client();
    Job job = client.get("/jobs/" + jobId, Job.class);
    JobFollow f = new JobFollow(client).telling(this::info);
    var printed = new JobCommand.PrintStreamOut(out());
    Integer which = run;
    if (!follow) {
      stream(f, job, which, false, tail, printed);
      return 0;
    }
    return f.detachable(
        jobId,
        "following",
        () -> {
          ReaderWatch.start(out());
          stream(f, job, which, true, tail, printed);
          return 0;
        });
  }

  /** Streams one run, or every run in order with a header each when the job has several. */
  static void stream(
      JobFollow f, Job job, Integer run, boolean follow, Integer tail, OutputStream out)
      throws IOException {
    if (run != null) {
      if (run < 0 || run >= job.repeat()) {
        throw new CliException(ExitCodes.NOT_FOUND, "job " + job.id() + " has no run " + run);
      }
      f.log(job.id(), run, follow, tail, out);
      return;
    }
    Map<Integer, Run> runs = new HashMap<>();
    if (job.runs() != null) {
      job.runs().forEach(r -> runs.put(r.index(), r));
    }
    if (follow && job.parallel() > 1 && job.repeat() > 1) {
      // one stream at a time: say so, and how to watch another run live meanwhile
      f.say(
          "Job "
              + job.id()
              + " runs up to "
              + Math.min(job.parallel(), job.repeat())
              + " at once; following its runs one after another (`ocean logs "
              + job.id()
              + "/1 -f` follows run 1 live).");
    }
    int skippedFrom = -1;
    List<Integer> lost = new ArrayList<>();
    String firstLost = null;
    for (int i = 0; i < job.repeat(); i++) {
      if (job.repeat() > 1 && neverStarted(runs.get(i))) {
        skippedFrom = skippedFrom < 0 ? i : skippedFrom;
        continue;
      }
      skipped(job, skippedFrom, i, out);
      skippedFrom = -1;
      if (job.repeat() > 1) {
        out.write(
            ("==> job " + job.id() + " run " + i + " <==\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      try {
        f.log(job.id(), i, follow, tail, out);
      } catch (OceanApiException e) {
        if (e.status() != LOST || job.repeat() == 1) {
          throw e;
        }
        // the other runs' logs are still worth printing; the loss is told once, at the end
        firstLost = firstLost == null ? e.getMessage() : firstLost;
        lost.add(i);
      }
    }
    skipped(job, skippedFrom, job.repeat(), out);
    if (firstLost != null) {
      throw new CliException(
          ExitCodes.ERROR,
          lost.size() == 1
              ? firstLost
              : firstLost
                  + "; the logs of runs "
                  + lost.subList(1, lost.size()).stream()
                      .map(r -> job.id() + "/" + r)
                      .collect(java.util.stream.Collectors.joining(", "))
                  + " were lost too");
    }
  }

  /** A run that ended (cancelled, say) before any attempt of it started has no log to fetch. */
  private static boolean neverStarted(Run r) {
    return r != null
        && r.startedAt() == null
        && r.attempt() <= 1
        && List.of("cancelled", "failed", "succeeded").contains(r.state());
  }

  /** One line for the runs {@code from} (inclusive, none when negative) to {@code to} skipped. */
  private static void skipped(Job job, int from, int to, OutputStream out) throws IOException {
    if (from < 0) {
      return;
    }
    String runs =
        to - from == 1
            ? "run " + from + " ended before it started"
            : "runs " + from + "-" + (to - 1) + " ended before they started";
    out.write(
        ("==> job " + job.id() + " " + runs + ": no log <==\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
