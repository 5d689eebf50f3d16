package dev.ocean.cli.job;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.common.api.job.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "wait",
    description =
        "Wait for a job to end; exits with its exit code (143 when cancelled) and says why it"
            + " failed.")
public final class JobWaitCommand extends BaseCommand {
  @Parameters(paramLabel = "JOB_ID", description = "The job's id from `ocean job list`.")
  long id;

  @Override
  public Integer call() {
    Job done = new JobFollow(client()).telling(this::info).await(id);
    if (json()) {
      printJson(done);
    }
    return JobFollow.exitCode(done, this::info);
  }
}
