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
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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

  @Option(
      names = {"-i", "--identity"},
      paramLabel = "FILE",
      description = "Log in with this private key only (default: ssh's usual ~/.ssh keys).")
  Path identity;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** How long the direct route to the node may take to answer before the tunnel is used. */
  static final int DIRECT_TIMEOUT_MS = 1500;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (identity != null && !Files.isReadable(identity)) {
      // bad input first, before the server is asked anything
      throw new CliException(
          ExitCodes.USAGE, typed() + " " + identity + " is not a readable private key file");
    }
    Instance i = fetch();
    Tunnels.requireSshd(i);
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
    String alias = HostKeys.alias(i.name(), i.user());
    keys.pin(alias, i.hostKey());
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
            "-o",
            "HostKeyAlias=" + alias));
    if (identity != null) {
      argv.addAll(List.of("-i", identity.toString(), "-o", "IdentitiesOnly=yes"));
    }
    if (!reachable(i.address(), i.sshPort())) {
      // the node is on a network this machine cannot reach: go through the server's tunnel,
      // keeping the pinned key (its line names the instance, not the address)
      argv.addAll(List.of("-o", "ProxyCommand=" + launcher() + " instance proxy " + i.name()));
      if (global.verbose) {
        info(
            i.address()
                + ":"
                + i.sshPort()
                + " does not answer from here; connecting through the Ocean server");
      }
    }
    argv.addAll(List.of("-p", String.valueOf(i.sshPort()), InstanceSpec.USER + "@" + i.address()));
    argv.addAll(command);
    if (global.verbose) {
      info(String.join(" ", argv.stream().map(InstanceSshCommand::shellQuote).toList()));
    }
    return run(argv, i.name());
  }

  /** Whether a TCP connection to the published SSH port opens within a short time. */
  static boolean reachable(String address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), DIRECT_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The launcher that runs this CLI (set by bin/ocean), else {@code ocean} on the PATH. */
  private static String launcher() {
    String self = System.getProperty("ocean.launcher");
    String path = self == null ? "ocean" : Path.of(self).toAbsolutePath().toString();
    return path.matches("[A-Za-z0-9/._+-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
  }

  /** Runs ssh on this terminal, or through the context's streams when they are not the JVM's. */
  /** The identity flag as the user typed it: {@code -i} or {@code --identity}. */
  private String typed() {
    for (String arg : spec.commandLine().getParseResult().originalArgs()) {
      if (arg.equals("--")) {
        break;
      }
      if (arg.startsWith("-i")) {
        return "-i";
      }
    }
    return "--identity";
  }

  private int run(List<String> argv, String name) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    // a ProxyCommand runs `ocean` again: it must reach the same server as the same user
    Map<String, String> env = pb.environment();
    env.putAll(ctx().env());
    if (global.server != null) {
      env.put("OCEAN_SERVER", global.server);
    }
    if (global.token != null) {
      env.put("OCEAN_TOKEN", global.token);
    }
    if (global.caCert != null) {
      env.put("OCEAN_CA_CERT", global.caCert);
    }
    SshStderr stderr = new SshStderr();
    int code;
    if (ctx().stdin() == System.in) {
      Process p = pb.inheritIO().redirectError(ProcessBuilder.Redirect.PIPE).start();
      var terminal = new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8);
      Thread err = Thread.ofVirtual().start(() -> stderr.pump(p.getErrorStream(), terminal));
      code = p.waitFor();
      err.join();
    } else {
      Process p = pb.start();
      Thread in = Thread.ofVirtual().start(() -> copy(ctx().stdin(), p.getOutputStream(), true));
      Thread err = Thread.ofVirtual().start(() -> stderr.pump(p.getErrorStream(), ctx().err()));
      copy(p.getInputStream(), out());
      code = p.waitFor();
      err.join();
      in.interrupt();
    }
    if (stderr.hostKeyRefused(code)) {
      info(SshStderr.explain(name));
    } else if (stderr.keysRefused(code)) {
      info(NoSshKey.afterRefusal(name, NoSshKey.none(client())));
    }
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
