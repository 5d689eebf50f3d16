package dev.ocean.server.http;

import dev.ocean.common.tls.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for the API: the PEM certificate chain and key the server was started with, held in an
 * in-memory key store, and the one Jetty connector that serves them (no plain HTTP beside it).
 */
public final class Tls {
  private final KeyStore keyStore;
  private final String password;
  private final Path certFile;

  /** The server's own certificate, first of the chain: its dates are checked at start. */
  private final X509Certificate leaf;

  private Tls(KeyStore keyStore, String password, Path certFile, X509Certificate leaf) {
    this.keyStore = keyStore;
    this.password = password;
    this.certFile = certFile;
    this.leaf = leaf;
  }

  /**
   * Reads and checks both files before anything else starts, so a bad one stops the server with a
   * sentence naming it.
   *
   * @throws dev.ocean.common.tls.PemException when a file is missing, unreadable or not PEM, or the
   *     key does not belong to the certificate
   */
  public static Tls load(Path certFile, Path keyFile) {
    if (certFile == null || keyFile == null) {
      throw new IllegalArgumentException("TLS needs both a certificate file and a key file");
    }
    List<X509Certificate> chain = Pem.certificates(certFile, "TLS certificate");
    PrivateKey key = Pem.privateKey(keyFile, "TLS key");
    Pem.checkPair(key, chain.getFirst(), keyFile, certFile);
    // The store never leaves memory; the password only satisfies the KeyStore API.
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String password = Base64.getEncoder().encodeToString(random);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "ocean", key, password.toCharArray(), chain.toArray(X509Certificate[]::new));
      return new Tls(store, password, certFile, chain.getFirst());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "cannot use the key in " + keyFile + " with " + certFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * The line the server prints at start when its certificate is outside its validity period at
   * {@code now}: it serves it anyway (a renewed file may follow), but every client refuses it.
   */
  public java.util.Optional<String> validityWarning(java.time.Instant now) {
    X509Certificate cert = leaf;
    if (now.isAfter(cert.getNotAfter().toInstant())) {
      return java.util.Optional.of(
          "warning: the TLS certificate in "
              + certFile
              + " expired on "
              + cert.getNotAfter().toInstant()
              + "; clients refuse it until it is renewed");
    }
    if (now.isBefore(cert.getNotBefore().toInstant())) {
      return java.util.Optional.of(
          "warning: the TLS certificate in "
              + certFile
              + " is valid only from "
              + cert.getNotBefore().toInstant()
              + "; clients refuse it until then (is this machine's clock right?)");
    }
    return java.util.Optional.empty();
  }

  /** An HTTPS connector on {@code host:port} with Javalin's HTTP settings. */
  public ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore);
    ssl.setKeyStorePassword(password);
    ssl.setKeyManagerPassword(password);
    HttpConfiguration https = new HttpConfiguration(http);
    https.addCustomizer(new SecureRequestCustomizer());
    ServerConnector connector =
        new ServerConnector(
            server,
            new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }
}
