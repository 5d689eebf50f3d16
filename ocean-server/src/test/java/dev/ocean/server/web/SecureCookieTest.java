package dev.ocean.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.tls.Openssl;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over HTTPS the browser must never send the session cookie over plain HTTP: it is Secure. */
class SecureCookieTest {
  @TempDir Path dir;

  @Test
  void overHttpsBothSessionCookiesAreSecure() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Openssl.selfSigned(cert, key, "rsa:2048");
    try (OceanServer server =
        OceanServer.start(
            new ServerConfig(dir.resolve("data"))
                .port(0)
                .host("127.0.0.1")
                .bcryptCost(4)
                .tlsCert(cert)
                .tlsKey(key)
                .adminEmail("admin@example.com")
                .adminPassword("Admin123!x"),
            new PrintStream(PrintStream.nullOutputStream()))) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(cert)) {
        trust.setCertificateEntry(
            "ocean", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);
      HttpResponse<String> r =
          HttpClient.newBuilder()
              .sslContext(tls)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/session"))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"email\":\"admin@example.com\",\"password\":\"Admin123!x\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      List<String> cookies = r.headers().allValues("Set-Cookie");
      assertEquals(2, cookies.size(), cookies.toString());
      assertTrue(cookies.stream().allMatch(c -> c.contains("; Secure")), cookies.toString());
    }
  }
}
