package dev.ocean.cli.instance;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Text;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.api.instance.InstanceSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "ssh",
    description =
        "SSH into a running instance with its host key pinned (no first-use prompt); -v shows the"
            + " ssh command.")
public final class InstanceSshCommand extends InstanceCommand.OneInstance {
  @Parameters(
      index = "1..*",
      paramLabel = "CMD",
      description = "A command to run instead of a shell (after --).")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws IOException, InterruptedException {
    Instance i = fetch();
    if (!i.state().equals("running") || i.address() == null || i.sshPort() == null) {
      throw new CliException(
          ExitCodes.CONFLICT,
          "instance "
              + i.name()
              + " is "
              + i.state()
              + (i.state().equals("stopped") || i.state().equals("failed")
                  ? "; start it with `ocean instance start " + i.name() + "`"
                  : "; try again once it runs (ocean instance get " + i.name() + ")"));
    }
    if (i.hostKey() == null) {
      throw new CliException(
          ExitCodes.ERROR,
          "instance " + i.name() + " has not reported an SSH host key; its image may lack sshd");
    }
    HostKeys keys = new HostKeys(config().file().resolveSibling("known_hosts"));
    keys.pin(i.address(), i.sshPort(), i.hostKey());
    Path ssh = findSsh();
    List<String> argv = new ArrayList<>();
    argv.add(ssh.toString());
    argv.addAll(
        List.of(
            "-o",
            "UserKnownHostsFile=" + keys.file(),
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "GlobalKnownHostsFile=/dev/null",
            "-p",
            String.valueOf(i.sshPort()),
            InstanceSpec.USER + "@" + i.address()));
    argv.addAll(command);
    if (global.verbose) {
      info(String.join(" ", argv.stream().map(InstanceSshCommand::shellQuote).toList()));
    }
    return run(argv);
  }

  /** Runs ssh on this terminal, or through the context's streams when they are not the JVM's. */
  private int run(List<String> argv) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    if (ctx().stdin() == System.in) {
      return pb.inheritIO().start().waitFor();
    }
    Process p = pb.start();
    Thread in = Thread.ofVirtual().start(() -> copy(ctx().stdin(), p.getOutputStream(), true));
    Thread err = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), ctx().err()));
    copy(p.getInputStream(), out());
    int code = p.waitFor();
    err.join();
    in.interrupt();
    return code;
  }

  private static void copy(InputStream from, OutputStream to, boolean close) {
    try (from) {
      from.transferTo(to);
      if (close) {
        to.close();
      }
    } catch (IOException e) {
      // the other side went away: ssh ended or stdin closed
    }
  }

  private static void copy(InputStream from, PrintWriter to) {
    try (var r = new java.io.InputStreamReader(from, StandardCharsets.UTF_8)) {
      r.transferTo(to);
      to.flush();
    } catch (IOException e) {
      // ssh ended
    }
  }

  /** The system's {@code ssh} on PATH, or one sentence saying it is missing. */
  private Path findSsh() {
    String path = ctx().env("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, "ssh");
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new CliException(
        ExitCodes.ERROR,
        "no ssh command on PATH; install the OpenSSH client (e.g. apt install openssh-client)");
  }

  private static String shellQuote(String arg) {
    return arg.matches("[A-Za-z0-9_./=:,@%+\\[\\]-]+")
        ? Text.safe(arg)
        : "'" + Text.safe(arg).replace("'", "'\\''") + "'";
  }
}
