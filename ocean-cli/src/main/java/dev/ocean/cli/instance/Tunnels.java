package dev.ocean.cli.instance;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Text;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.WebSocketPipe;
import dev.ocean.common.validation.WholeNumbers;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Opens tunnels to an instance's ports through the server's own port ({@code GET
 * /api/v1/instances/NAME/tunnel?port=P}, a WebSocket), for {@code proxy} and {@code port-forward}.
 */
final class Tunnels {
  /** How long the server may take to accept the socket (the agent answers after that). */
  static final Duration OPEN = Duration.ofSeconds(30);

  private Tunnels() {}

  static String path(String instance, int port) {
    return "/instances/" + OceanClient.segment(instance) + "/tunnel?port=" + port;
  }

  /** Opens a tunnel whose incoming bytes go to {@code out}; refusals are the usual exceptions. */
  static WebSocketPipe open(OceanClient client, String instance, int port, OutputStream out) {
    return WebSocketPipe.open(client, path(instance, port), out, OPEN);
  }

  /** A port the user typed, or a usage error naming {@code flag}. */
  static int port(String flag, String text, boolean zeroAllowed) {
    int p;
    try {
      p = WholeNumbers.parseInt(text.strip());
    } catch (NumberFormatException e) {
      p = -1;
    }
    if (p < (zeroAllowed ? 0 : 1) || p > 65535) {
      throw new CliException(
          ExitCodes.USAGE,
          flag
              + ": '"
              + Text.safe(text)
              + "' is not a port; use a number from "
              + (zeroAllowed ? 0 : 1)
              + " to 65535");
    }
    return p;
  }

  /**
   * Refuses a running instance whose image has no sshd, in the words of {@code instance ssh}: a
   * tunnel to its port 22 would only be closed by the far side (qa8 Q7).
   */
  static void requireSshd(Instance i) {
    if (i.state().equals("running") && i.address() != null && i.sshPort() == null) {
      throw new CliException(
          ExitCodes.ERROR, "instance " + i.name() + " has no SSH: there is no sshd in its image");
    }
  }

  /** The sentence for a tunnel that closed abnormally. */
  static String closed(String instance, int port, WebSocketPipe.Closed how) {
    String why =
        how.reason() == null || how.reason().isBlank() ? "code " + how.code() : how.reason();
    return "the tunnel to " + instance + ":" + port + " closed: " + why;
  }
}
