package dev.ocean.cli.job;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.Group;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.client.OceanClient;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "job", description = "Batch jobs queued FIFO on the shared GPUs.")
public final class JobCommand extends Group {
  /**
   * The subcommands, in the order help lists them. Not in the annotation: the CLI builds only the
   * one a command line names ({@code Cli}), which makes {@code job list} and {@code job submit}
   * start faster.
   */
  public static final List<Class<?>> COMMANDS =
      List.of(
          JobSubmitCommand.class,
          ListJobs.class,
          GetJob.class,
          JobCancelCommand.class,
          JobWaitCommand.class);

  static final TypeReference<List<Job>> LIST = new TypeReference<>() {};

  @Command(
      name = "list",
      description =
          "List your jobs (active ones unless --all); pending runs show queue place and why they wait.")
  public static final class ListJobs extends BaseCommand {
    @Option(names = "--all", description = "Include finished jobs.")
    boolean all;

    @Option(
        names = "--state",
        paramLabel = "STATE",
        description = "Only jobs in this state: pending, running, succeeded, failed or cancelled.")
    String state;

    @Option(names = "--all-users", description = "Admins: every user's jobs.")
    boolean allUsers;

    @Override
    public Map<String, String> flagsByField() {
      return Map.of("state", "--state");
    }

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
          js -> JobViews.table(js, allUsers, wide(), out(), style()));
      return 0;
    }
  }

  @Command(name = "get", description = "Show a job and its runs: node, GPUs, times, exit codes.")
  public static final class GetJob extends BaseCommand {
    @Parameters(paramLabel = "JOB_ID", description = "The job's id from `ocean job list`.")
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

  /**
   * Adapts the CLI's writer to the byte stream the log copier writes: the bytes pass unchanged to a
   * standard stream ({@link dev.ocean.cli.base.ByteWriter}); any other writer (tests) gets them
   * decoded as UTF-8.
   */
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
    public void write(int b) throws java.io.IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      if (out instanceof dev.ocean.cli.base.ByteWriter bytes) {
        bytes.writeBytes(b, off, len); // the job's bytes as they are, whatever the locale
        return;
      }
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
