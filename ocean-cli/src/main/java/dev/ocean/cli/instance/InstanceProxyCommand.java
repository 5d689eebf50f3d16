package dev.ocean.cli.instance;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Text;
import dev.ocean.cli.sshconfig.SshConfigFiles;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.client.OceanClientException;
import dev.ocean.common.client.WebSocketPipe;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ocean instance proxy NAME [--port 22]}: joins stdin and stdout to a port of the instance
 * through the server, made for ssh's {@code ProxyCommand} (see {@code ocean ssh-config}). Exits 0
 * when the remote side closes; errors are one sentence on stderr.
 */
@Command(
    name = "proxy",
    description =
        "Connect stdin/stdout to a port of your instance through the Ocean server (for ssh's"
            + " ProxyCommand).")
public final class InstanceProxyCommand extends BaseCommand {
  @Parameters(paramLabel = "NAME", description = "Instance name.")
  String name;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "22",
      description = "Port inside the instance (default: ${DEFAULT-VALUE}, its sshd).")
  String port;

  @Override
  public Integer call() throws InterruptedException {
    int p = Tunnels.port("--port", port, false);
    if (p == 22) {
      requireSshd();
    }
    // stdout carries raw bytes: the PrintWriter of messages would mangle them
    OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    WebSocketPipe pipe = Tunnels.open(client(), name, p, stdout);
    Thread.ofVirtual().name("ocean-proxy-stdin").start(() -> pipe.sendFrom(ctx().stdin()));
    WebSocketPipe.Closed how = pipe.awaitClose();
    if (!how.normal()) {
      throw new CliException(ExitCodes.ERROR, Tunnels.closed(name, p, how));
    }
    return 0;
  }

  /**
   * Says so when the image has no sshd, as {@code instance ssh} does, rather than a tunnel the far
   * side closes (ssh would show only "kex_exchange_identification"). Any other trouble (no such
   * instance, stopped) is left to the tunnel's own refusal, which names it.
   */
  private void requireSshd() {
    Instance i;
    try {
      i = client().get(InstanceCommand.path(name, null, ""), Instance.class);
    } catch (OceanClientException e) {
      return;
    }
    Tunnels.requireSshd(i);
    String home = ctx().env("HOME");
    var files = new SshConfigFiles(Path.of(home != null ? home : System.getProperty("user.home")));
    if (files.pinsAnotherKey(name, i.hostKey())) {
      // ssh shows only its "REMOTE HOST IDENTIFICATION HAS CHANGED" alarm; this says why
      ctx()
          .err()
          .println(
              "ocean: instance "
                  + Text.safe(name)
                  + " was created again since `ocean ssh-config` ran, so its host key is new; run"
                  + " `ocean ssh-config` again");
      ctx().err().flush();
    }
  }
}
