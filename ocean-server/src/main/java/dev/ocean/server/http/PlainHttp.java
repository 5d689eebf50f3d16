package dev.ocean.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Tokens and passwords cross plain HTTP in the clear: the one line the server prints at start when
 * it listens beyond this machine without TLS.
 */
public final class PlainHttp {
  private PlainHttp() {}

  /** The warning for serving on {@code host}, if there is one to give. */
  public static Optional<String> warning(String host, boolean tls) {
    if (tls || isLoopback(host)) {
      return Optional.empty();
    }
    return Optional.of(
        "warning: serving plain HTTP on "
            + (host == null || host.isBlank() ? "all interfaces" : host)
            + ": passwords and tokens cross the network unencrypted; use --tls-cert and"
            + " --tls-key");
  }

  private static boolean isLoopback(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
