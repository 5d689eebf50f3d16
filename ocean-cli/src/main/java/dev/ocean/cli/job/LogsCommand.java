package dev.ocean.cli.job;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.job.Job;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Print a job's logs; -f follows them until the run ends.")
public final class LogsCommand extends BaseCommand {
  @Parameters(paramLabel = "JOB[/RUN]", description = "Job id, or job id and run index (12/3).")
  String target;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until the run ends.")
  boolean follow;

  @Option(names = "--tail", description = "Start with the last N lines.")
  Integer tail;

  @Override
  public Integer call() throws IOException {
    long jobId;
    Integer run = null;
    try {
      int slash = target.indexOf('/');
      jobId = Long.parseLong(slash < 0 ? target : target.substring(0, slash));
      if (slash >= 0) {
        run = Integer.parseInt(target.substring(slash + 1));
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
    stream(new JobFollow(client), job, run, follow, tail, new JobCommand.PrintStreamOut(out()));
    return 0;
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
    for (int i = 0; i < job.repeat(); i++) {
      if (job.repeat() > 1) {
        out.write(
            ("==> job " + job.id() + " run " + i + " <==\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      f.log(job.id(), i, follow, tail, out);
    }
  }
}
