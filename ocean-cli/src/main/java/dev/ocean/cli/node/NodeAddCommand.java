package dev.ocean.cli.node;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Text;
import dev.ocean.common.validation.PortRange;
import dev.ocean.common.validation.Rules;
import dev.ocean.common.validation.WholeNumbers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "add",
    description =
        "Install the agent on a host over SSH and join it: checks the host key against"
            + " ~/.ssh/known_hosts, copies this release, starts the agent (systemd, else nohup) and"
            + " waits for its first heartbeat.")
public final class NodeAddCommand extends BaseCommand {
  @Parameters(paramLabel = "USER@HOST", arity = "0..1", description = "The host to add.")
  String target;

  @Option(
      names = "--hosts",
      paramLabel = "FILE",
      description = "Add every USER@HOST[:PORT] in FILE (one a line) in parallel.")
  Path hostsFile;

  @Option(
      names = "--port",
      defaultValue = "22",
      paramLabel = "P",
      description = "SSH port (default 22).")
  int port;

  @Option(
      names = "--identity",
      paramLabel = "FILE",
      description =
          "Private key to log in with (default: id_ed25519, id_rsa or id_ecdsa in ~/.ssh).")
  Path identity;

  @Option(names = "--name", paramLabel = "N", description = "Node name (default: the host's name).")
  String name;

  @Option(
      names = "--runtime",
      defaultValue = "docker",
      paramLabel = "docker|process",
      description = "docker or process (default ${DEFAULT-VALUE}).")
  String runtime;

  @Option(
      names = "--run-as",
      paramLabel = "USER",
      description =
          "Process runtime: the account on the host that jobs run as (an agent running as root"
              + " refuses jobs without it).")
  String runAs;

  @picocli.CommandLine.Mixin JoinFlags joinFlags = new JoinFlags();

  @Option(
      names = "--accept-new-host-key",
      description = "Trust a host key that is not in ~/.ssh/known_hosts yet and add it there.")
  boolean acceptNewHostKey;

  @Option(
      names = "--prefix",
      paramLabel = "DIR",
      description =
          "Where to install on the host (default /opt/ocean as root, else ~/.local/lib/ocean).")
  String prefix;

  @Option(
      names = "--timeout",
      defaultValue = "120",
      paramLabel = "SECONDS",
      description = "How long to wait for the node's first heartbeat (default ${DEFAULT-VALUE}).")
  int timeout;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      hidden = true,
      description = "The agent's state directory.")
  String stateDir;

  @Option(
      names = "--release-dir",
      paramLabel = "DIR",
      hidden = true,
      description = "The installation to copy.")
  Path releaseDir;

  @Override
  public Integer call() {
    validate();
    // before the release is packed and an SSH session opened: only an admin may add a node
    if (!"admin".equals(client().get("/users/me", dev.ocean.common.api.User.class).role())) {
      throw new CliException(ExitCodes.FORBIDDEN, "this needs an admin account");
    }
    Path release = Release.home(releaseDir);
    quietenSshLogs();
    if (hostsFile == null) {
      NodeInstaller installer = installer(release, false);
      NodeInstaller.Joined j = installer.add(request(target));
      print(
          j.node(),
          n -> n.name(),
          n ->
              out().println("Node " + n.name() + " joined from " + target + " (" + j.how() + ")."));
      if (j.node().unschedulable() != null) {
        info(cannotRun(j.node()));
      }
      return 0;
    }
    return addAll(release);
  }

  private void validate() {
    if ((target == null) == (hostsFile == null)) {
      throw new CliException(ExitCodes.USAGE, "give one USER@HOST or --hosts FILE");
    }
    if (!runtime.equals("docker") && !runtime.equals("process")) {
      throw new CliException(
          ExitCodes.USAGE, "--runtime must be docker or process, not '" + runtime + "'");
    }
    if (port < 1 || port > 65535) {
      throw new CliException(ExitCodes.USAGE, "--port must be between 1 and 65535, not " + port);
    }
    if (timeout < 1 || timeout > 3600) {
      throw new CliException(
          ExitCodes.USAGE, "--timeout must be between 1 and 3600 seconds, not " + timeout);
    }
    if (name != null) {
      Rules.resourceName("node", name)
          .ifPresent(m -> fail("--name: " + m.replaceFirst("^node name ", "")));
    }
    if (hostsFile != null && name != null) {
      throw new CliException(ExitCodes.USAGE, "--name names one node; it cannot go with --hosts");
    }
    // checked here, not on the host after the release was copied there, nor after connecting
    if (identity != null && !(Files.isRegularFile(identity) && Files.isReadable(identity))) {
      fail("--identity " + identity + " is not a readable key file");
    }
    if (joinFlags.portRange != null) {
      try {
        PortRange.parse(joinFlags.portRange);
      } catch (IllegalArgumentException e) {
        fail(e.getMessage());
      }
    }
  }

  private static void fail(String message) {
    throw new CliException(ExitCodes.USAGE, message);
  }

  private int addAll(Path release) {
    List<String> targets;
    try {
      targets =
          Files.readAllLines(hostsFile).stream()
              .map(String::strip)
              .filter(l -> !l.isEmpty() && !l.startsWith("#"))
              .toList();
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "--hosts " + hostsFile + " cannot be read");
    }
    if (targets.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "--hosts " + hostsFile + " names no host");
    }
    targets.forEach(this::request); // a malformed line is a usage error before anything starts
    java.util.Map<String, String> machines = new java.util.HashMap<>();
    for (String t : targets) {
      NodeInstaller.Request r = request(t);
      // two lines for one machine would install into the same directories at once, and the
      // clean-up of the one that fails would delete the other's install
      String first = machines.putIfAbsent(r.user() + "@" + address(r.host()) + ":" + r.port(), t);
      if (first != null) {
        throw new CliException(
            ExitCodes.USAGE,
            "--hosts "
                + hostsFile
                + ": '"
                + t
                + "' is the same machine as '"
                + first
                + "'; list each host once");
      }
    }
    NodeInstaller installer = installer(release, true);
    List<Future<Integer>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String t : targets) {
        results.add(pool.submit(() -> addOne(installer, t)));
      }
    }
    int worst = 0;
    for (Future<Integer> f : results) {
      worst = Math.max(worst, f.resultNow());
    }
    return worst;
  }

  /** The host's address, so that a name and its IP count as one machine; the name if unknown. */
  private static String address(String host) {
    try {
      return java.net.InetAddress.getByName(host).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return host; // the add of that line says it
    }
  }

  private int addOne(NodeInstaller installer, String t) {
    String line;
    int code;
    try {
      NodeInstaller.Joined j = installer.add(request(t));
      line = t + ": joined as " + j.node().name() + " (" + j.how() + ")";
      if (j.node().unschedulable() != null) {
        line += "; " + cannotRun(j.node());
      }
      code = 0;
    } catch (RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      line = t + ": error: " + m;
      code = ExitCodes.of(e);
    }
    synchronized (this) {
      out().println(Text.safe(line));
      out().flush();
    }
    return code;
  }

  private NodeInstaller installer(Path release, boolean many) {
    String ca = caCert();
    String home = ctx().env("HOME") != null ? ctx().env("HOME") : System.getProperty("user.home");
    boolean terminal = ctx().console() != null;
    return new NodeInstaller(
        client(),
        serverUrl(),
        ca == null ? null : Path.of(ca),
        Path.of(home),
        release,
        many || global.quiet || json() ? m -> {} : this::info,
        size ->
            many
                ? (LongConsumer) n -> {}
                : new Progress(
                    ctx().err(), terminal, global.quiet || json(), "Uploading the release", size));
  }

  /** Parses USER@HOST[:PORT]; the port from --port unless the line names one. */
  NodeInstaller.Request request(String t) {
    int at = t.indexOf('@');
    String user = at > 0 ? t.substring(0, at) : null;
    String host = at > 0 ? t.substring(at + 1) : "";
    int p = port;
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(':') == colon) {
      try {
        p = WholeNumbers.parseInt(host.substring(colon + 1));
      } catch (NumberFormatException e) {
        p = -1;
      }
      host = host.substring(0, colon);
    }
    if (user == null || host.isEmpty() || p < 1 || p > 65535 || t.chars().anyMatch(c -> c <= ' ')) {
      throw new CliException(
          ExitCodes.USAGE,
          (hostsFile == null ? "USER@HOST" : "--hosts " + hostsFile)
              + ": '"
              + t
              + "' is not USER@HOST or USER@HOST:PORT");
    }
    return new NodeInstaller.Request(
        user,
        host,
        p,
        identity,
        acceptNewHostKey,
        name,
        runtime,
        runAs,
        prefix,
        stateDir,
        Duration.ofSeconds(timeout),
        joinFlags.args());
  }

  /** A joined node that takes no work yet says why, so "joined" does not read as ready for jobs. */
  private static String cannotRun(dev.ocean.common.api.node.Node n) {
    // "runtime X cannot start runs" blocks every run; the rest (no volume storage, a broken GPU)
    // only some, and the node is ready for the others
    boolean none = n.unschedulable().contains("cannot start runs");
    return "Warning: "
        + n.name()
        + (none ? " takes no runs yet: " : " takes only some runs: ")
        + n.unschedulable();
  }

  /** sshj logs through SLF4J; the CLI has no logger, so keep SLF4J's notices off stderr. */
  private static void quietenSshLogs() {
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
    }
  }
}
