package dev.ocean.cli.job;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.Errors;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.OceanClientException;
import dev.ocean.common.validation.WholeNumbers;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Cancels every job named, even when one of them fails: each gets its line, and the exit code is
 * the worst of them. A job that has already ended is not an error: it says how it ended.
 */
@Command(
    name = "cancel",
    description =
        "Cancel jobs: pending runs are dropped, running ones stopped; each id gets a line.")
public final class JobCancelCommand extends BaseCommand {
  @Parameters(
      paramLabel = "JOB_ID",
      arity = "1..*",
      description = "Ids of jobs from `ocean job list`.")
  List<String> typed;

  @Override
  public Integer call() {
    List<Long> ids = new ArrayList<>();
    for (String t : typed) {
      try {
        ids.add(WholeNumbers.parseLong(t.strip()));
      } catch (NumberFormatException e) {
        throw new CliException(ExitCodes.USAGE, "JOB_ID: '" + t + "' is not a job id");
      }
    }
    OceanClient client = client();
    int worst = ExitCodes.OK;
    List<Job> acted = new ArrayList<>();
    for (long id : ids) {
      try {
        Outcome o = cancel(client, id);
        Job j = o.job();
        acted.add(j);
        if (!json()) {
          if (global.quiet) {
            out().println(j.id());
            out().flush();
          } else if (o.alreadyEnded()
              || (JobViews.ended(j.state()) && !j.state().equals("cancelled"))) {
            info("Job " + j.id() + " already " + j.state() + ".");
          } else {
            info("Job " + j.id() + " cancelled.");
          }
        }
      } catch (OceanClientException e) {
        worst = Math.max(worst, Errors.print(e, flagsByField(), global.verbose, ctx().err()));
      }
    }
    if (json()) {
      printJson(ids.size() == 1 && acted.size() == 1 ? acted.getFirst() : acted);
    }
    return worst;
  }

  /** What became of one job: cancelled now, or found already ended. */
  private record Outcome(Job job, boolean alreadyEnded) {}

  /** Cancels one job; one that had already ended comes back as it is. */
  private static Outcome cancel(OceanClient client, long id) {
    try {
      return new Outcome(client.post("/jobs/" + id + "/cancel", null, Job.class), false);
    } catch (OceanApiException e) {
      if (e.status() == 409) {
        Job j = client.get("/jobs/" + id, Job.class);
        if (j.finishedAt() != null) {
          return new Outcome(j, true);
        }
      }
      throw e;
    }
  }
}
