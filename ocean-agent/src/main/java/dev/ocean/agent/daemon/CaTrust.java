package dev.ocean.agent.daemon;

import dev.ocean.common.client.OceanClientException;
import dev.ocean.common.tls.PemException;
import dev.ocean.common.tls.TrustedCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's {@code --ca-cert} trust, read again when the file changes: after the server's
 * certificate is renewed and the file on the node replaced, the running agent trusts the new one at
 * its next request instead of losing its node until someone restarts it (qa9 R13). A file that
 * cannot be used at that moment (half written) leaves the trust as it was, and says so once.
 */
final class CaTrust {
  private static final Logger LOG = LoggerFactory.getLogger(CaTrust.class);

  private final Path file;
  private volatile Loaded loaded;

  /** Whether the file's absence was logged already (once until it is back). */
  private volatile boolean missingTold;

  private record Loaded(Object fileKey, long modified, long size, SSLSocketFactory factory) {}

  /**
   * Trust in the system's CAs plus the certificates in {@code file}.
   *
   * @throws OceanClientException when the file cannot be used now
   */
  CaTrust(Path file) {
    this.file = file;
    this.loaded = load(stamp());
  }

  /** The socket factory for the file as it is now. */
  SSLSocketFactory factory() {
    Loaded now = loaded;
    BasicFileAttributes a = stamp();
    if (a == null) {
      if (!missingTold) {
        missingTold = true;
        LOG.warn(
            "the CA certificate file {} is gone; the certificates read before stay trusted, but the"
                + " agent's next start fails until the file is back",
            file);
      }
      return now.factory();
    }
    missingTold = false;
    if (same(now, a)) {
      return now.factory();
    }
    synchronized (this) {
      if (!same(loaded, a)) {
        try {
          loaded = load(a);
          LOG.info("read the CA certificate file {} again: it changed", file);
        } catch (OceanClientException e) {
          // remembered as seen, so a broken file is reported once, not at every request
          loaded =
              new Loaded(a.fileKey(), a.lastModifiedTime().toMillis(), a.size(), now.factory());
          LOG.warn("kept the certificates read before from {}: {}", file, e.getMessage());
        }
      }
      return loaded.factory();
    }
  }

  private static boolean same(Loaded l, BasicFileAttributes a) {
    return l.modified() == a.lastModifiedTime().toMillis()
        && l.size() == a.size()
        && java.util.Objects.equals(l.fileKey(), a.fileKey());
  }

  private BasicFileAttributes stamp() {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return null; // gone for a moment (replaced by a move): keep what was read
    }
  }

  private Loaded load(BasicFileAttributes a) {
    try {
      SSLSocketFactory f = TrustedCertificates.systemPlus(file).sslContext().getSocketFactory();
      return a == null
          ? new Loaded(null, -1, -1, f)
          : new Loaded(a.fileKey(), a.lastModifiedTime().toMillis(), a.size(), f);
    } catch (PemException e) {
      throw new OceanClientException(e.getMessage(), e);
    }
  }
}
