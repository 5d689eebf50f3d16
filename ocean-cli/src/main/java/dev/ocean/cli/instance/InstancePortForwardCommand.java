package dev.ocean.cli.instance;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Text;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.OceanClientException;
import dev.ocean.common.client.WebSocketPipe;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ocean instance port-forward NAME [LOCAL:]REMOTE}: listens on 127.0.0.1:LOCAL and carries
 * each accepted connection through its own tunnel to REMOTE inside the instance (Jupyter,
 * TensorBoard), until Ctrl-C.
 */
@Command(
    name = "port-forward",
    description =
        "Forward a local port to a port of your instance through the Ocean server, until Ctrl-C.")
public final class InstancePortForwardCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Instance name.")
  String name;

  @Parameters(
      index = "1",
      paramLabel = "[LOCAL:]REMOTE",
      description = "Remote port, optionally after the local one (LOCAL 0 picks a free port).")
  String ports;

  @Override
  public Integer call() throws IOException {
    int colon = ports.indexOf(':');
    int remote = Tunnels.port("[LOCAL:]REMOTE", ports.substring(colon + 1), false);
    int local =
        colon < 0 ? remote : Tunnels.port("[LOCAL:]REMOTE", ports.substring(0, colon), true);
    OceanClient client = client();
    // an instance that is not there, not yours or stopped is said at once, not per connection
    Instance i = client.get(InstanceCommand.path(name, null, ""), Instance.class);
    if (i.state().equals("stopped") || i.state().equals("failed") || i.state().equals("deleted")) {
      throw new CliException(
          ExitCodes.CONFLICT,
          "instance "
              + name
              + " is "
              + i.state()
              + "; start it with `ocean instance start "
              + name
              + "`");
    }
    if (remote == 22) {
      Tunnels.requireSshd(i);
    }
    ServerSocket listener;
    try {
      listener = new ServerSocket(local, 50, InetAddress.getLoopbackAddress());
    } catch (BindException e) {
      throw new CliException(
          ExitCodes.CONFLICT,
          "cannot listen on 127.0.0.1:" + local + " (" + e.getMessage() + "); pick another LOCAL");
    }
    try (listener) {
      out()
          .println(
              "Forwarding 127.0.0.1:"
                  + listener.getLocalPort()
                  + " -> "
                  + Text.safe(name)
                  + ":"
                  + remote
                  + " (Ctrl-C to stop)");
      out().flush();
      while (true) {
        Socket connection = listener.accept();
        Thread.ofVirtual()
            .name("ocean-forward-" + connection.getPort())
            .start(() -> carry(client, connection, remote));
      }
    }
  }

  private void carry(OceanClient client, Socket connection, int remote) {
    try (connection) {
      connection.setTcpNoDelay(true);
      WebSocketPipe pipe = Tunnels.open(client, name, remote, connection.getOutputStream());
      Thread.ofVirtual().start(() -> sendFrom(pipe, connection));
      WebSocketPipe.Closed how = pipe.awaitClose();
      if (!how.normal()) {
        info(Tunnels.closed(name, remote, how));
      }
    } catch (OceanClientException e) {
      info("cannot open a tunnel to " + name + ":" + remote + ": " + e.getMessage());
    } catch (IOException e) {
      info("connection from port " + connection.getPort() + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sendFrom(WebSocketPipe pipe, Socket connection) {
    try {
      pipe.sendFrom(connection.getInputStream());
    } catch (IOException e) {
      pipe.close(WebSocketPipe.FAILED, "the local connection failed: " + e.getMessage());
    }
  }
}
