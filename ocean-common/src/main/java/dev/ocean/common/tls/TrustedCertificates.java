package dev.ocean.common.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust for a client that talks to a server with a private CA or a self-signed certificate: the
 * system's CAs plus the certificates of one PEM file, in one trust manager.
 *
 * @param trustManager trusts what the system trusts and the extra certificates
 * @param sslContext a TLS context using {@code trustManager}
 */
public record TrustedCertificates(X509TrustManager trustManager, SSLContext sslContext) {

  /** The system's CAs plus every certificate in {@code pemFile}. */
  public static TrustedCertificates systemPlus(Path pemFile) {
    List<X509Certificate> extra = Pem.certificates(pemFile, "CA certificate");
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (X509Certificate ca : systemTrustManager().getAcceptedIssuers()) {
        store.setCertificateEntry("system-" + n++, ca);
      }
      for (X509Certificate cert : extra) {
        store.setCertificateEntry("extra-" + n++, cert);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      X509TrustManager tm = only(tmf.getTrustManagers());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {tm}, null);
      return new TrustedCertificates(tm, context);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new PemException(
          "cannot build a trust store with the certificates of " + pemFile + ": " + e.getMessage(),
          e);
    }
  }

  private static X509TrustManager systemTrustManager() throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    return only(tmf.getTrustManagers());
  }

  private static X509TrustManager only(TrustManager[] managers) throws GeneralSecurityException {
    for (TrustManager m : managers) {
      if (m instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager in this JDK");
  }
}
