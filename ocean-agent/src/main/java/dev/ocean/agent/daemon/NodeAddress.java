package dev.ocean.agent.daemon;

import dev.ocean.common.client.OceanClientException;
import java.net.URI;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Where {@link NodeClient} sends a request, checked as {@code OceanClient} checks it (a valid
 * http(s) URL, a server root rather than its API path), and the JDK's TLS failures told as OkHttp
 * tells them.
 */
final class NodeAddress {
  private NodeAddress() {}

  /**
   * The JDK reports a certificate that does not name the host as an untrusted one; OkHttp, and so
   * the rest of Ocean, as an unverified peer, which has its own sentence (use the right name).
   */
  static SSLException hostnameMismatch(SSLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (t instanceof CertificateException
          && (m.startsWith("No subject alternative") || m.startsWith("No name matching"))) {
        SSLPeerUnverifiedException peer = new SSLPeerUnverifiedException(m);
        peer.initCause(e);
        return peer;
      }
    }
    return e;
  }

  static URI uri(String base, String path) {
    String suffix = (path.startsWith("/api/") ? "" : "/api/v1") + path;
    URI uri;
    try {
      uri = URI.create(base + suffix);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || !("http".equalsIgnoreCase(uri.getScheme())
            || "https".equalsIgnoreCase(uri.getScheme()))) {
      throw new OceanClientException(
          "the server address '" + base + "' is not a valid http(s) URL");
    }
    String basePath = URI.create(base).getRawPath();
    if (basePath != null && basePath.matches("(?i).*/api(/v[0-9]+)?/?")) {
      String root = uri.getScheme() + "://" + uri.getRawAuthority();
      throw new OceanClientException(
          "the server address '"
              + base
              + "' should be the server's root, "
              + root
              + ", without "
              + basePath);
    }
    return uri;
  }

  static String host(URI uri) {
    String h = uri.getHost();
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }
}
