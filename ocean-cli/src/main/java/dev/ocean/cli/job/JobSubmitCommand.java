package dev.ocean.cli.job;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.client.OceanClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "submit",
    description =
        "Queue a job: ocean job submit --name N --machine-type T --image I -- CMD [ARG...]")
public final class JobSubmitCommand extends BaseCommand {
  /** The bounds the server checks (JobRequest), checked here first so nothing is submitted. */
  static final int MAX_REPEAT = 1000;

  static final int MAX_RETRIES = 10;

  @Option(names = "--name", required = true, description = "Job name.")
  String name;

  @Option(names = "--machine-type", required = true, description = "Machine type.")
  String machineType;

  @Option(names = "--image", required = true, description = "Registered image name.")
  String image;

  @Option(names = "--volume", description = "Your volume, mounted at /home/linuxbrew.")
  String volume;

  @Option(names = "--repeat", description = "Run the command N times, 1 to 1000 (default 1).")
  Integer repeat;

  @Option(
      names = "--parallel",
      description = "At most P runs at once, 1 to the repeat count (default 1).")
  Integer parallel;

  @Option(names = "--reason", description = "Why you run it.")
  String reason;

  @Option(
      names = "--retries",
      description =
          "Requeue a run up to N times (0 to 10) when its node is lost under it (default 0).")
  Integer retries;

  @Option(names = "--env", paramLabel = "K=V", description = "An environment variable; repeatable.")
  List<String> env = new ArrayList<>();

  @Option(names = "--wait", description = "Wait for the job and exit with its exit code.")
  boolean await;

  @Option(names = "--follow", description = "Stream the logs while waiting (implies --wait).")
  boolean follow;

  @Parameters(
      paramLabel = "COMMAND",
      arity = "1..*",
      description = "The command and its arguments, after --.")
  List<String> command;

  @Override
  public Map<String, String> flagsByField() {
    return Map.of(
        "name", "--name",
        "machineType", "--machine-type",
        "image", "--image",
        "volume", "--volume",
        "repeat", "--repeat",
        "parallel", "--parallel",
        "retries", "--retries",
        "reason", "--reason",
        "env", "--env",
        "command", "COMMAND");
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String kv : env) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new CliException(ExitCodes.USAGE, "--env must look like KEY=VALUE, not '" + kv + "'");
      }
      if (vars.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) {
        throw new CliException(
            ExitCodes.USAGE, "--env sets " + kv.substring(0, eq) + " twice; give each name once");
      }
    }
    int runs = repeat == null ? 1 : range("--repeat", repeat, 1, MAX_REPEAT);
    if (parallel != null) {
      range("--parallel", parallel, 1, runs);
    }
    if (retries != null) {
      range("--retries", retries, 0, MAX_RETRIES);
    }
    OceanClient client = client();
    Job job =
        client.post(
            "/jobs",
            new Job.Submit(
                name, machineType, image, volume, command, vars, repeat, parallel, reason, retries),
            Job.class);
    if (!await && !follow) {
      print(
          job,
          j -> String.valueOf(j.id()),
          j ->
              info(
                  "Job "
                      + j.id()
                      + " submitted ("
                      + j.repeat()
                      + " run(s)); follow it with `ocean logs "
                      + j.id()
                      + " -f`."));
      return 0;
    }
    if (global.quiet && !follow && !json()) {
      // a script that waits still learns which job it started
      out().println(job.id());
      out().flush();
    }
    info("Job " + job.id() + " submitted.");
    JobFollow f = new JobFollow(client);
    if (follow) {
      LogsCommand.stream(f, job, null, true, null, new JobCommand.PrintStreamOut(out()));
    }
    Job done = f.await(job.id());
    if (json()) {
      printJson(done);
    }
    return JobFollow.exitCode(done, this::info);
  }

  private static int range(String flag, int value, int min, int max) {
    if (value < min || value > max) {
      throw new CliException(
          ExitCodes.USAGE, flag + " must be between " + min + " and " + max + ", not " + value);
    }
    return value;
  }
}
