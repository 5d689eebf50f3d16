package dev.ocean.cli.node;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.client.OceanClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Installs the release on one host over SSH and joins it: probe, upload, unpack, a fresh single-use
 * join token in a 0600 file, the agent under systemd (or nohup), then wait for the node's first
 * heartbeat. A failure undoes what this run created on the host.
 */
final class NodeInstaller {
  /** What to install where; {@code prefix} and {@code stateDir} may be null for the defaults. */
  record Request(
      String user,
      String host,
      int port,
      Path identity,
      boolean acceptNewHostKey,
      String name,
      String runtime,
      String runAs,
      String prefix,
      String stateDir,
      Duration timeout,
      List<String> joinFlags) {}

  /** A node that joined, and how its agent runs. */
  record Joined(Node node, String how) {}

  private final OceanClient client;
  private final String serverUrl;
  private final Path caCert;
  private final Path sshHome;
  private final Path release;
  private final Consumer<String> step;
  private final Function<Long, LongConsumer> progress;

  NodeInstaller(
      OceanClient client,
      String serverUrl,
      Path caCert,
      Path sshHome,
      Path release,
      Consumer<String> step,
      Function<Long, LongConsumer> progress) {
    this.client = client;
    this.serverUrl = serverUrl;
    this.caCert = caCert;
    this.sshHome = sshHome;
    this.release = release;
    this.step = step;
    this.progress = progress;
  }

  Joined add(Request r) {
    step.accept("Connecting to " + r.user() + "@" + r.host() + "...");
    try (SshHost ssh =
        SshHost.connect(
            r.user(), r.host(), r.port(), r.identity(), sshHome, r.acceptNewHostKey())) {
      return install(ssh, r);
    }
  }

  private Joined install(SshHost ssh, Request r) {
    Map<String, String> probe = ssh.values("", RemoteScripts.PROBE, "probe");
    boolean root = "0".equals(probe.get("uid"));
    String sudo = root ? "" : "sudo -n ";
    if (!root) {
      HostChecks.sudo(ssh, r, probe);
    }
    if ("0".equals(probe.get("java"))) {
      throw new CliException(
          ExitCodes.ERROR, "no Java on " + r.host() + "; install a Java 25 runtime there first");
    }
    String prefix = HostChecks.prefix(r, root, probe.get("home"));
    String state = r.stateDir() != null ? r.stateDir() : "/var/lib/ocean-agent";
    String name = r.name() != null ? r.name() : HostChecks.nodeName(probe.get("host"), r.host());
    boolean systemd = "1".equals(probe.get("systemd"));
    HostChecks.nameFree(client, name);
    HostChecks.runAs(ssh, r);
    try (Release tar = Release.pack(release)) {
      Map<String, String> space =
          ssh.values(sudo, RemoteScripts.SPACE, "space check", prefix, state);
      HostChecks.space(r.host(), space, tar.size);
      HostCleanup undo = new HostCleanup(sudo);
      // what did not exist goes again, with the parents mkdir -p makes for it
      undo.prefix = "0".equals(space.get("prefix_exists")) ? created(space, "prefix", prefix) : "";
      undo.state = "0".equals(space.get("state_exists")) ? created(space, "state", state) : "";
      SshHost.Result mk = ssh.exec("mktemp -d /tmp/ocean-node-add.XXXXXX", null);
      if (mk.exit() != 0) {
        throw new CliException(
            ExitCodes.ERROR,
            "cannot make a temporary directory on " + r.host() + ": " + mk.firstErrorLine());
      }
      undo.tmp = mk.out().strip();
      // Ctrl-C or a kill must not leave a half-installed host either
      Thread onExit =
          new Thread(
              () -> {
                undo.run(ssh);
                revoke(undo.token);
              },
              "ocean-node-add-cleanup");
      Runtime.getRuntime().addShutdownHook(onExit);
      JoinToken token = null;
      try {
        // first, so that a user who may not add nodes is stopped before anything is copied
        token = client.post("/admin/join-tokens", new JoinToken.Create("30m", 1), JoinToken.class);
        undo.token = token;
        String tarball = undo.tmp + "/ocean.tar.gz";
        ssh.upload(tar.tarball, tarball, 0600, progress.apply(tar.size));
        String ca = "";
        if (caCert != null) {
          ssh.upload(caCert, undo.tmp + "/ca.pem", 0644, n -> {});
          ca = undo.tmp + "/ca.pem";
        }
        step.accept("Installing into " + prefix + " on " + r.host() + "...");
        SshHost.Result unpacked = ssh.script(sudo, RemoteScripts.INSTALL, prefix, tarball, ca);
        if (unpacked.exit() != 0) {
          throw new CliException(
              ExitCodes.ERROR,
              "cannot install into "
                  + prefix
                  + " on "
                  + r.host()
                  + ": "
                  + unpacked.firstErrorLine());
        }
        Path tokenFile = Files.createTempFile("ocean-join", ".token");
        try {
          Files.writeString(tokenFile, token.token());
          ssh.upload(tokenFile, undo.tmp + "/join-token", 0600, n -> {});
        } finally {
          Files.deleteIfExists(tokenFile);
        }
        List<String> join = new ArrayList<>();
        join.addAll(
            List.of(
                prefix + "/bin/ocean-agent",
                "join",
                "--server",
                serverUrl,
                "--token-file",
                undo.tmp + "/join-token",
                "--state-dir",
                state,
                "--runtime",
                r.runtime(),
                "--name",
                name));
        if (r.runAs() != null) {
          join.addAll(List.of("--run-as", r.runAs()));
        }
        join.addAll(r.joinFlags());
        if (!ca.isEmpty()) {
          join.addAll(List.of("--ca-cert", prefix + "/etc/ca.pem"));
        }
        String how;
        if (systemd) {
          step.accept("Joining " + name + " and starting its systemd service...");
          join.add("--install-service");
          undo.unit = !undo.state.isEmpty(); // a reinstall keeps the service it found
          SshHost.Result joined = ssh.script(sudo, "\"$@\"\n", join.toArray(String[]::new));
          if (joined.exit() != 0) {
            throw new CliException(
                ExitCodes.ERROR,
                "the agent on " + r.host() + " could not join: " + joined.firstErrorLine());
          }
          how = "systemd service ocean-agent.service";
        } else {
          step.accept("Joining " + name + " (no systemd on " + r.host() + ", using nohup)...");
          List<String> args = new ArrayList<>(List.of(state));
          args.addAll(join);
          Map<String, String> started =
              ssh.values(
                  sudo, RemoteScripts.START_NOHUP, "agent start", args.toArray(String[]::new));
          undo.pid = started.getOrDefault("pid", "");
          how = "nohup, log in " + state + "/agent.log";
        }
        Node node = new JoinWatch(client, step).awaitReady(ssh, sudo, r, name, state, undo.pid);
        undo.prefix = "";
        undo.state = "";
        undo.pid = "";
        undo.unit = false;
        undo.token = null;
        return new Joined(node, how);
      } catch (RuntimeException e) {
        revoke(token);
        throw e;
      } catch (java.io.IOException e) {
        revoke(token);
        throw new CliException(ExitCodes.ERROR, "cannot write the join token: " + e.getMessage());
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or about to; HostCleanup runs once
        }
        undo.run(ssh);
      }
    }
  }

  /** The topmost new directory the space check found for {@code path}; the path itself if none. */
  private static String created(Map<String, String> space, String key, String path) {
    String top = space.get(key + "_top");
    return top != null && !top.isBlank() && path.startsWith(top) ? top : path;
  }

  private void revoke(JoinToken token) {
    if (token == null) {
      return;
    }
    try {
      client.post("/admin/join-tokens/" + token.id() + "/revoke", null, JoinToken.class);
    } catch (RuntimeException e) {
      // already used or expired: nobody else can join with it either way
    }
  }
}
