package dev.ocean.cli.daemon;

import dev.ocean.cli.base.CliContext;
import dev.ocean.common.client.OceanClient;
import java.io.PrintWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The daemon's API clients: one HTTP client (with its connection pool) per server address, kept
 * across requests so a command reuses a warm connection; the token is added per request, read fresh
 * from the saved login each time. Holds a few addresses at most.
 */
final class SharedClients {
  private static final int MAX_SERVERS = 16;
  private final Map<String, OceanClient> byServer = new LinkedHashMap<>(16, 0.75f, true);

  /** The clients of one request, which prints the plain-HTTP warning on that request's stderr. */
  CliContext.Clients forRequest(PrintWriter err) {
    return (servers, token) -> {
      OceanClient shared = shared(servers);
      if (token == null) {
        return shared;
      }
      warnIfPlainHttp(servers, err);
      return shared.withHeader("Authorization", "Bearer " + token);
    };
  }

  private synchronized OceanClient shared(String servers) {
    OceanClient c = byServer.computeIfAbsent(servers, s -> OceanClient.forUser(s, null));
    if (byServer.size() > MAX_SERVERS) {
      byServer.remove(byServer.keySet().iterator().next());
    }
    return c;
  }

  /**
   * The warning a JVM run prints as it first sends a token over plain HTTP to another machine
   * (OceanClient's), printed here because the shared client carries the token as a plain header.
   */
  private static void warnIfPlainHttp(String servers, PrintWriter err) {
    String first = servers.split(",")[0].strip();
    if (!first.regionMatches(true, 0, "http://", 0, 7)) {
      return;
    }
    String host;
    try {
      host = URI.create(first).getHost();
    } catch (IllegalArgumentException e) {
      return;
    }
    if (host == null) {
      return;
    }
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    boolean local =
        h.equals("localhost")
            || h.endsWith(".localhost")
            || h.startsWith("127.")
            || h.equals("::1")
            || h.equals("0:0:0:0:0:0:0:1");
    if (!local) {
      err.println(
          "warning: sending your token over plain HTTP to "
              + h
              + "; anyone on the network can read it (use an https:// server address)");
      err.flush();
    }
  }
}
