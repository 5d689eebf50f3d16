package dev.ocean.agent.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance's container runs on its own network, where {@code 127.0.0.1} is the container: an
 * agent that reaches the server at a loopback URL (server and agent on one machine) would hand the
 * instance an {@code OCEAN_SERVER} that leads nowhere. On Podman the container then gets
 * slirp4netns with {@code allow_host_loopback}, where {@value #HOST} is the host's loopback, and
 * {@code OCEAN_SERVER} names that address. Other URLs, and other engines, are left as they are.
 */
final class HostLoopback {
  private static final Logger log = LoggerFactory.getLogger(HostLoopback.class);

  /** The host's loopback as slirp4netns shows it to the container. */
  static final String HOST = "10.0.2.2";

  static final String NETWORK = "slirp4netns:allow_host_loopback=true";

  private static final String VAR = "OCEAN_SERVER=";

  private final DockerEngineClient engine;
  private volatile Boolean podman;

  HostLoopback(DockerEngineClient engine) {
    this.engine = engine;
  }

  /** Rewrites {@code body}'s OCEAN_SERVER and network when it names this host's loopback. */
  void apply(ObjectNode body) {
    ArrayNode env = (ArrayNode) body.get("Env");
    if (env == null) {
      return;
    }
    for (int i = 0; i < env.size(); i++) {
      String entry = env.get(i).asText();
      if (entry.startsWith(VAR)) {
        String rewritten = rewrite(entry.substring(VAR.length()));
        if (rewritten != null && podman()) {
          env.set(i, VAR + rewritten);
          ((ObjectNode) body.get("HostConfig")).put("NetworkMode", NETWORK);
        }
        return;
      }
    }
  }

  /**
   * The server URLs (comma-separated) with loopback hosts replaced by {@value #HOST}, or null when
   * none is loopback.
   */
  static String rewrite(String urls) {
    List<String> out = new ArrayList<>();
    boolean changed = false;
    for (String url : urls.split(",")) {
      try {
        URI u = new URI(url.strip());
        String host = u.getHost();
        if (host != null && loopback(host)) {
          out.add(
              new URI(u.getScheme(), u.getUserInfo(), HOST, u.getPort(), u.getPath(), null, null)
                  .toString());
          changed = true;
          continue;
        }
      } catch (URISyntaxException e) {
        // not a URL we can read: leave it
      }
      out.add(url);
    }
    return changed ? String.join(",", out) : null;
  }

  private static boolean loopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
  }

  /** Whether the engine is Podman (its {@code /version} names a Podman component); cached. */
  private boolean podman() {
    Boolean known = podman;
    if (known == null) {
      try {
        JsonNode version = engine.version();
        boolean found = false;
        for (JsonNode c : version.path("Components")) {
          found |= c.path("Name").asText().toLowerCase(java.util.Locale.ROOT).contains("podman");
        }
        known = found;
      } catch (IOException e) {
        log.warn("cannot ask the container engine for its version: {}", e.toString());
        return false;
      }
      podman = known;
    }
    return known;
  }
}
