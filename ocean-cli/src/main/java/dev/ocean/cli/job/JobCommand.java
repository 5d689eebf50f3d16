package dev.ocean.cli.job;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Group;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.client.OceanClient;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "job",
    description = "Batch jobs queued FIFO on the shared GPUs.",
    subcommands = {
      JobCommand.Submit.class,
      JobCommand.ListJobs.class,
      JobCommand.GetJob.class,
      JobCommand.Cancel.class,
      JobCommand.WaitJob.class
    })
public final class JobCommand extends Group {
  static final TypeReference<List<Job>> LIST = new TypeReference<>() {};

  @Command(
      name = "submit",
      description =
          "Queue a job: ocean job submit --name N --machine-type T --image I -- CMD [ARG...]")
  public static final class Submit extends BaseCommand {
    @Option(names = "--name", required = true, description = "Job name.")
    String name;

    @Option(names = "--machine-type", required = true, description = "Machine type.")
    String machineType;

    @Option(names = "--image", required = true, description = "Registered image name.")
    String image;

    @Option(names = "--volume", description = "Your volume, mounted at /home/linuxbrew.")
    String volume;

    @Option(names = "--repeat", description = "Run the command N times (default 1).")
    Integer repeat;

    @Option(names = "--parallel", description = "At most P runs at once (default 1).")
    Integer parallel;

    @Option(names = "--reason", description = "Why you run it.")
    String reason;

    @Option(
        names = "--retries",
        description = "Requeue a run up to N times when its node is lost under it (default 0).")
    Integer retries;

    @Option(
        names = "--env",
        paramLabel = "K=V",
        description = "An environment variable; repeatable.")
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
    public Integer call() throws Exception {
      Map<String, String> vars = new LinkedHashMap<>();
      for (String kv : env) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new CliException(
              ExitCodes.USAGE, "--env must look like KEY=VALUE, not '" + kv + "'");
        }
        vars.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
      OceanClient client = client();
      Job job =
          client.post(
              "/jobs",
              new Job.Submit(
                  name, machineType, image, volume, command, vars, repeat, parallel, reason),
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
      info("Job " + job.id() + " submitted.");
      JobFollow f = new JobFollow(client);
      if (follow) {
        LogsCommand.stream(f, job, null, true, null, new PrintStreamOut(out()));
      }
      Job done = f.await(job.id());
      if (json()) {
        printJson(done);
      }
      return JobFollow.exitCode(done, ctx().err());
    }
  }

  @Command(
      name = "list",
      description =
          "List your jobs (active ones unless --all); pending runs show queue place and why they wait.")
  public static final class ListJobs extends BaseCommand {
    @Option(names = "--all", description = "Include finished jobs.")
    boolean all;

    @Option(names = "--state", description = "Only jobs in this state.")
    String state;

    @Option(names = "--all-users", description = "Admins: every user's jobs.")
    boolean allUsers;

    @Override
    public Integer call() {
      String q =
          "/jobs?all="
              + all
              + (allUsers ? "&everyone=true" : "")
              + (state == null ? "" : "&state=" + OceanClient.segment(state));
      printList(
          client().get(q, LIST),
          j -> String.valueOf(j.id()),
          js -> JobViews.table(js, allUsers, out(), style()));
      return 0;
    }
  }

  @Command(name = "get", description = "Show a job and its runs: node, GPUs, times, exit codes.")
  public static final class GetJob extends BaseCommand {
    @Parameters(paramLabel = "ID")
    long id;

    @Override
    public Integer call() {
      print(
          client().get("/jobs/" + id, Job.class),
          j -> String.valueOf(j.id()),
          j -> JobViews.detail(j, out(), style()));
      return 0;
    }
  }

  @Command(
      name = "cancel",
      description = "Cancel jobs: pending runs are dropped, running ones stopped.")
  public static final class Cancel extends BaseCommand {
    @Parameters(paramLabel = "ID", arity = "1..*")
    List<Long> ids;

    @Override
    public Integer call() {
      OceanClient client = client();
      for (long id : ids) {
        Job j = client.post("/jobs/" + id + "/cancel", null, Job.class);
        print(j, x -> String.valueOf(x.id()), x -> info("Job " + x.id() + " cancelled."));
      }
      return 0;
    }
  }

  @Command(name = "wait", description = "Wait for a job to end; exits with its exit code.")
  public static final class WaitJob extends BaseCommand {
    @Parameters(paramLabel = "ID")
    long id;

    @Override
    public Integer call() {
      Job done = new JobFollow(client()).await(id);
      if (json()) {
        printJson(done);
      }
      return JobFollow.exitCode(done, ctx().err());
    }
  }

  /** Adapts the CLI's writer to the byte stream the log copier writes, decoding UTF-8 safely. */
  static final class PrintStreamOut extends OutputStream {
    private final java.io.PrintWriter out;
    private final java.nio.charset.CharsetDecoder decoder =
        java.nio.charset.StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);
    private byte[] pending = new byte[0];

    PrintStreamOut(java.io.PrintWriter out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      byte[] all = new byte[pending.length + len];
      System.arraycopy(pending, 0, all, 0, pending.length);
      System.arraycopy(b, off, all, pending.length, len);
      java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(all);
      java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(all.length + 1);
      decoder.decode(in, chars, false);
      chars.flip();
      out.write(chars.toString());
      pending = new byte[in.remaining()];
      in.get(pending);
    }

    @Override
    public void flush() {
      out.flush();
    }
  }
}
