package dev.ocean.cli.cluster;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.cluster.LocalCluster.Program;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.OceanClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "up",
    description = {
      "Start a one-node cluster on this machine in the background: a server, this machine as a"
          + " node, machine types, an image and quota for the admin, and log the CLI in.",
      "Data and logs live in $XDG_DATA_HOME/ocean (default ~/.local/share/ocean); `ocean down`"
          + " stops it."
    })
public final class UpCommand extends BaseCommand {
  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port the server listens on (default the last one used, else 8080).")
  Integer port;

  @Option(
      names = "--listen",
      paramLabel = "ADDR",
      description =
          "Address the server listens on (default the last one used, else 127.0.0.1, this"
              + " machine only).")
  String listen;

  @Option(
      names = "--runtime",
      paramLabel = "docker|process",
      description = "docker or process (default docker when a Docker or Podman socket answers).")
  String runtime;

  @Option(
      names = "--reset",
      description =
          "Stop, delete the data ocean up created, start over; refused (exit 5) while jobs"
              + " run, naming them for `ocean job cancel`.")
  boolean reset;

  /** Whether --listen was typed (else the address last used). */
  private boolean listenTyped;

  /** The agent this run started, watched so that an agent that fails says so at once. */
  private Process agentProcess;

  @Override
  public Integer call() {
    if (port != null && (port < 0 || port > 65535)) {
      throw new CliException(ExitCodes.USAGE, "--port must be between 0 and 65535, not " + port);
    }
    if (listen != null && !listen.equals("localhost")) {
      try {
        java.net.InetAddress.ofLiteral(listen.replaceAll("^\\[(.*)]$", "$1"));
      } catch (IllegalArgumentException e) {
        throw new CliException(
            ExitCodes.USAGE,
            "--listen must be an IP address such as 127.0.0.1, ::1 or 0.0.0.0, not '"
                + listen
                + "'");
      }
    }
    if (runtime != null && !runtime.equals("docker") && !runtime.equals("process")) {
      throw new CliException(
          ExitCodes.USAGE, "--runtime must be docker or process, not '" + runtime + "'");
    }
    LocalCluster cluster = LocalCluster.locate(ctx());
    listenTyped = listen != null;
    if (listen == null) {
      listen = cluster.listen("127.0.0.1"); // as --port: the one used last
    }
    if (runtime != null && !reset) {
      AgentLaunch.requireJoinedRuntime(cluster, runtime);
    }
    if ("docker".equals(runtime) && ContainerSocket.find(ctx().env()).isEmpty()) {
      // before anything starts: a server left running without its agent helps nobody
      throw new CliException(
          ExitCodes.ERROR, "--runtime docker: no Docker or Podman socket answers on this machine");
    }
    try (var lock =
        UpLock.take(
            cluster.data(),
            () -> info("Another `ocean up` is starting this cluster; waiting for it."))) {
      return up(cluster);
    }
  }

  private int up(LocalCluster cluster) {
    if (reset) {
      ResetGuard.refuseWhileRunsRun(
          cluster, config(), "http://" + clientHost() + ":" + cluster.port(0));
      int last = cluster.port(0);
      cluster.stop(Program.AGENT);
      cluster.stop(Program.SERVER);
      if (cluster.delete()) {
        info("Deleted the cluster's data in " + cluster.data() + ".");
      }
      if (port == null && last > 0) {
        cluster.savePort(last); // starting over keeps the port chosen before (8080 may be taken)
      }
    }
    Optional<ProcessHandle> server = cluster.running(Program.SERVER);
    Optional<ProcessHandle> agent = cluster.running(Program.AGENT);
    // --port wins over the port remembered from the last start (which is only its default)
    int serverPort =
        server.isEmpty() && port != null ? port : cluster.port(port == null ? 8080 : port);
    if (server.isEmpty()) {
      cluster.saveListen(listen);
      if (serverPort != 0) {
        pointAgent(cluster, "http://" + clientHost() + ":" + serverPort);
      }
      if (serverPort != 0) {
        Startup.requireFree(listen, serverPort);
        cluster.savePort(serverPort);
      }
    }
    if (server.isPresent() && port != null && port != 0 && port != serverPort) {
      // (--port 0 asks for any free port: the one it runs on is as good)
      throw new CliException(
          ExitCodes.CONFLICT,
          "the cluster is already up on port "
              + serverPort
              + "; run `ocean down` first to move it to --port "
              + port);
    }
    String listening = cluster.listen(null); // none saved by an older release: not known
    if (server.isPresent()
        && listenTyped
        && listening != null
        && !bare(listen).equals(bare(listening))) {
      throw new CliException(
          ExitCodes.CONFLICT,
          "the cluster is already up on "
              + listening
              + "; run `ocean down` first to move it to --listen "
              + listen);
    }
    String url = "http://" + clientHost() + ":" + serverPort;
    if (server.isPresent() && agent.isPresent() && Startup.healthy(url)) {
      var admin = AdminLogin.open(config(), url, cluster.adminPassword(), cluster.passwordFile());
      if (!Rejoin.removed(cluster, admin)) {
        info("The cluster is already up at " + url + " (data in " + cluster.data() + ").");
        String self = System.getProperty("ocean.launcher");
        if (self != null && !cluster.runsBuildOf(Path.of(self).toAbsolutePath())) {
          // e.g. install.sh --up over an older install: the server and agent run the old programs
          info(
              "It still runs the release it was started from, not this one; `ocean down && ocean"
                  + " up` restarts it on this one.");
        }
        return 0;
      }
      // node local was just removed: its agent stops anyway, and joins again below
      cluster.stop(Program.AGENT);
    }
    Path launcher = launcher();
    boolean fresh = !Files.exists(cluster.serverData());
    String password = cluster.adminPassword();
    if (server.isEmpty()) {
      url = startServer(cluster, launcher, serverPort);
      pointAgent(cluster, url); // --port 0: the port it found
    }
    AdminLogin.Opened opened;
    try {
      opened = AdminLogin.admin(config(), url, password, cluster.passwordFile());
    } catch (RuntimeException e) {
      if (server.isEmpty()) {
        cluster.stop(Program.SERVER); // never a server left running without its agent
      }
      throw e;
    }
    OceanClient admin = opened.client();
    java.time.Instant agentFrom = java.time.Instant.now().minusSeconds(2);
    boolean docker;
    if (cluster.running(Program.AGENT).isEmpty()) {
      // after `ocean admin node remove local`: joined again, with the runtime it had
      String joinWith =
          Rejoin.ifRemoved(cluster, admin, launcher, this::info)
              .map(joined -> runtime != null ? runtime : joined)
              .orElse(runtime);
      var started =
          new AgentLaunch(ctx(), this::info, listen, joinWith).start(cluster, launcher, url, admin);
      agentProcess = started.process();
      docker = started.docker();
    } else {
      docker = "docker".equals(runtime);
    }
    Node node = awaitNode(cluster, admin, agentFrom);
    if (server.isPresent() && agentProcess != null) {
      info("The server was up; started its agent again (node " + node.name() + ").");
    }
    String image = new Catalogue(admin, this::info).ensure(node, docker);
    if (fresh) {
      info("Admin " + LocalCluster.ADMIN_EMAIL + ", password: " + password);
    }
    info(
        "Ocean is up at "
            + url
            + " with node "
            + node.name()
            + (Ready.isDraining(node)
                ? " (draining, as an admin left it: it takes no new work until `ocean admin node"
                    + " undrain "
                    + node.name()
                    + "`)"
                : "")
            + "; "
            + opened.passwordNote()
            + ".");
    info("Logs: " + cluster.log(Program.SERVER) + ", " + cluster.log(Program.AGENT) + ".");
    info(
        "Try: ocean job submit --name hello --machine-type "
            + Catalogue.CPU_TYPE
            + " --image "
            + image
            + " --follow -- echo hello");
    return 0;
  }

  private static String bare(String address) {
    return address.replaceAll("^\\[(.*)]$", "$1");
  }

  private String clientHost() {
    return Startup.clientHost(listen);
  }

  private Path launcher() {
    String self = System.getProperty("ocean.launcher");
    if (self == null) {
      throw new CliException(
          ExitCodes.ERROR,
          "ocean up starts the ocean-server and ocean-agent beside the ocean launcher; run it"
              + " from an installed release (bin/ocean)");
    }
    return Path.of(self).toAbsolutePath();
  }

  private String startServer(LocalCluster cluster, Path launcher, int wanted) {
    Path log = cluster.log(Program.SERVER);
    long from = Startup.size(log);
    List<String> args =
        List.of(
            "--host",
            listen,
            "--port",
            Integer.toString(wanted),
            "--data",
            cluster.serverData().toString(),
            "--admin-email",
            LocalCluster.ADMIN_EMAIL,
            "--admin-password-file",
            cluster.passwordFile().toString());
    Process p = cluster.start(launcher, Program.SERVER, args, null);
    cluster.saveBuild(launcher);
    info("Starting ocean-server (pid " + p.pid() + ", log " + log + ") ...");
    // the port comes from the server's own line, so --port 0 works too
    String line =
        Startup.await(
            "ocean-server to serve",
            () -> Startup.lineFrom(log, from, " serving on ").orElse(null),
            p,
            log);
    int actual = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).strip());
    cluster.savePort(actual);
    String url = "http://" + clientHost() + ":" + actual;
    Startup.await("ocean-server to answer", () -> Startup.healthy(url) ? url : null, p, log);
    return url;
  }

  /** Points the cluster's agent at {@code url}, restarting it later if it ran with another. */
  private void pointAgent(LocalCluster cluster, String url) {
    // a running agent would go on calling the server at the old address: stopped first
    AgentServer.point(cluster.agentState(), url, () -> cluster.stop(Program.AGENT));
  }

  private Node awaitNode(LocalCluster cluster, OceanClient admin, java.time.Instant agentFrom) {
    return Startup.await(
        "node " + LocalCluster.NODE_NAME + " to be ready",
        () -> {
          try {
            Node n = admin.get("/nodes/" + OceanClient.segment(LocalCluster.NODE_NAME), Node.class);
            return Ready.isUp(n, agentFrom) ? n : null;
          } catch (OceanClientException e) {
            return null;
          }
        },
        agentProcess,
        cluster.log(Program.AGENT));
  }
}
