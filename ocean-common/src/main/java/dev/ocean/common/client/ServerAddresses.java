package dev.ocean.common.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Checks server addresses as a user types them ({@code --server}, {@code OCEAN_SERVER}): one
 * http(s)://host[:port], or several of one cluster separated by commas. The CLI and the agent
 * refuse the same lists with the same sentence, so a typo in the second address shows the day it is
 * typed rather than the day the first server dies (qa8 Q9).
 */
public final class ServerAddresses {
  private ServerAddresses() {}

  /** Why {@code urls} is not a list of server roots, as a sentence without the flag; or empty. */
  public static Optional<String> problem(String urls) {
    for (String url : urls.split(",", -1)) {
      Optional<String> p = problemOfOne(url.strip());
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> problemOfOne(String url) {
    try {
      URI u = new URI(url);
      String scheme = u.getScheme();
      if (("http".equals(scheme) || "https".equals(scheme)) && u.getHost() != null) {
        if (u.getPort() > 65535) {
          return Optional.of(
              "'" + visible(url) + "' has port " + u.getPort() + "; a port is 1 to 65535");
        }
        // Only an address with "api" in it can end in the API's path; the others skip OceanClient,
        // so the agent, which checks its --server with this, never loads OkHttp.
        return url.toLowerCase(java.util.Locale.ROOT).contains("api")
            ? OceanClient.notRoot(url)
            : Optional.empty();
      }
    } catch (URISyntaxException e) {
      // fall through to the one sentence below
    }
    return Optional.of(
        "'"
            + visible(url)
            + "' is not a server address like http://host:8080 (several:"
            + " http://a:8080,http://b:8080)");
  }

  /** {@code s} with control characters shown as escapes, so an error cannot move the cursor. */
  private static String visible(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
                b.append(String.format("\\x%02x", cp));
              } else {
                b.appendCodePoint(cp);
              }
            });
    return b.toString();
  }
}
