package dev.ocean.cli.job;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.ReaderWatch;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.JobBatch;
import dev.ocean.common.client.OceanApiException;
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
    description = {
      "Queue a job: ocean job submit --name N --machine-type T --image I -- CMD [ARG...]",
      "Or many different jobs at once, all or none: ocean job submit --from-file F, where F"
          + " (- for standard input) holds one JSON object a line with the fields of the flags,"
          + " e.g. {\"name\": \"train-1\", \"machine-type\": \"g1.small\", \"image\":"
          + " \"pytorch\", \"command\": [\"python\", \"train.py\"], \"env\": [\"LR=0.1\"]};"
          + " prints the new ids, one a line (-o json: a JSON array)."
    })
public final class JobSubmitCommand extends BaseCommand {
  /** The bounds the server checks (JobRequest), checked here first so nothing is submitted. */
  static final int MAX_REPEAT = 1000;

  static final int MAX_RETRIES = 10;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Job name (required unless --from-file).")
  String name;

  @Option(
      names = "--machine-type",
      paramLabel = "TYPE",
      description = "Machine type (required unless --from-file).")
  String machineType;

  @Option(
      names = "--image",
      paramLabel = "IMAGE",
      description = "Registered image name (required unless --from-file).")
  String image;

  @Option(
      names = "--from-file",
      paramLabel = "F",
      description =
          "Submit every job of F (JSON Lines, - for standard input) together: all or none.")
  String fromFile;

  @Option(
      names = "--volume",
      paramLabel = "VOLUME",
      description = "Your volume, mounted at /home/linuxbrew.")
  String volume;

  @Option(
      names = "--repeat",
      paramLabel = "N",
      description = "Run the command N times, 1 to 1000 (default 1).")
  Integer repeat;

  @Option(
      names = "--parallel",
      paramLabel = "P",
      description = "At most P runs at once, 1 to the repeat count (default 1).")
  Integer parallel;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why you run it.")
  String reason;

  @Option(
      names = "--retries",
      paramLabel = "N",
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
      arity = "0..*",
      description = "The command and its arguments, after --.")
  List<String> command;

  @Override
  public Map<String, String> flagsByField() {
    if (fromFile != null) {
      return Map.of(); // a refused job is named by its line and the file's own field names
    }
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
    if (follow && json()) {
      // stdout would hold the run's output and then the job: no longer one JSON document
      throw new CliException(
          ExitCodes.USAGE,
          "--follow prints the run's output, which is not JSON; with -o json use --wait (it"
              + " prints the ended job) and read the output with `ocean logs JOB`");
    }
    if (fromFile != null) {
      return submitFile();
    }
    required("--name", name);
    required("--machine-type", machineType);
    required("--image", image);
    if (command == null || command.isEmpty()) {
      throw new CliException(
          ExitCodes.USAGE, "Missing required parameter: 'COMMAND' (after --), or give --from-file");
    }
    if (volume != null && volume.isBlank()) {
      // `--volume "$VOL"` with VOL unset: the run would go without the volume the user meant
      throw new CliException(
          ExitCodes.USAGE, "--volume must name one of your volumes, not be empty");
    }
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
                      + dev.ocean.cli.base.Text.count(j.repeat(), "run")
                      + "); follow it with `ocean logs "
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
    JobFollow f = new JobFollow(client).telling(this::info);
    Job done =
        f.detachable(
            job.id(),
            follow ? "following" : "waiting for",
            () -> {
              if (follow) {
                ReaderWatch.start(out());
                LogsCommand.stream(f, job, null, true, null, new JobCommand.PrintStreamOut(out()));
              }
              return f.await(job.id());
            });
    if (json()) {
      printJson(done);
    }
    return JobFollow.exitCode(done, this::info);
  }

  /** {@code --from-file}: every job of the file in one request; prints their ids. */
  private int submitFile() {
    String alsoGiven = alsoGiven();
    if (alsoGiven != null) {
      throw new CliException(
          ExitCodes.USAGE,
          "--from-file takes every job from the file; leave out "
              + alsoGiven
              + " and set it there");
    }
    JobFile file = JobFile.read(fromFile, ctx()::path, ctx().stdin());
    file.checkSize();
    List<Long> ids;
    try {
      ids = client().post("/jobs/batch", new JobBatch(file.jobs()), JobBatch.Submitted.class).ids();
    } catch (OceanApiException e) {
      throw new CliException(ExitCodes.of(e), file.explain(e.getMessage(), e.problem().field()));
    }
    if (json()) {
      printJson(ids);
    } else {
      ids.forEach(id -> out().println(id));
      if (!global.quiet) {
        info("Submitted " + ids.size() + " job(s) from " + file.label() + ".");
      }
    }
    out().flush();
    return 0;
  }

  /** A flag that describes a single job, given beside --from-file; null when there is none. */
  private String alsoGiven() {
    Map<String, Object> flags = new LinkedHashMap<>();
    flags.put("--name", name);
    flags.put("--machine-type", machineType);
    flags.put("--image", image);
    flags.put("--volume", volume);
    flags.put("--repeat", repeat);
    flags.put("--parallel", parallel);
    flags.put("--reason", reason);
    flags.put("--retries", retries);
    flags.put("--env", env.isEmpty() ? null : env);
    flags.put("--wait", await ? true : null);
    flags.put("--follow", follow ? true : null);
    flags.put("COMMAND", command == null || command.isEmpty() ? null : command);
    return flags.entrySet().stream()
        .filter(e -> e.getValue() != null)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }

  private static void required(String flag, String value) {
    if (value == null) {
      throw new CliException(
          ExitCodes.USAGE, "Missing required option: '" + flag + "' (or give --from-file F)");
    }
  }

  private static int range(String flag, int value, int min, int max) {
    if (value < min || value > max) {
      throw new CliException(
          ExitCodes.USAGE, flag + " must be between " + min + " and " + max + ", not " + value);
    }
    return value;
  }
}
