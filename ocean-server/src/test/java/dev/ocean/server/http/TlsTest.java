package dev.ocean.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Health;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.OceanClientException;
import dev.ocean.common.tls.Openssl;
import dev.ocean.common.tls.Pem;
import dev.ocean.server.Main;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The server serves HTTPS, and only HTTPS, when started with a certificate and its key. */
class TlsTest {
  @TempDir Path dir;

  private Path cert() {
    return dir.resolve("cert.pem");
  }

  private Path key() {
    return dir.resolve("key.pem");
  }

  private OceanServer start() throws Exception {
    return OceanServer.start(
        new ServerConfig(dir.resolve("data"))
            .host("127.0.0.1")
            .port(0)
            .tlsCert(cert())
            .tlsKey(key()),
        new PrintStream(PrintStream.nullOutputStream()));
  }

  @Test
  void healthAnswersOverHttpsWhenTheCertificateIsTrusted() throws Exception {
    Openssl.selfSigned(cert(), key(), "rsa:2048");
    try (OceanServer server = start()) {
      assertEquals("https://127.0.0.1:" + server.port(), server.url());
      Health health =
          OceanClient.forUser(server.url(), null)
              .withTrustedCertificates(cert())
              .get("/health", Health.class);
      assertEquals("ok", health.status());
    }
  }

  @Test
  void anEcKeyServesHttpsToo() throws Exception {
    Openssl.selfSigned(cert(), key(), "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
    try (OceanServer server = start()) {
      Health health =
          OceanClient.forUser(server.url(), null)
              .withTrustedCertificates(cert())
              .get("/health", Health.class);
      assertEquals("ok", health.status());
    }
  }

  @Test
  void anUntrustedCertificateIsOneSentenceNamingTheCure() throws Exception {
    Openssl.selfSigned(cert(), key(), "rsa:2048");
    try (OceanServer server = start()) {
      OceanClientException e =
          assertThrows(
              OceanClientException.class,
              () -> OceanClient.forUser(server.url(), null).get("/health", Health.class));
      assertEquals(
          "the server's certificate at "
              + server.url()
              + " is not trusted; pass --ca-cert FILE (or set OCEAN_CA_CERT) with that certificate"
              + " or the CA that signed it",
          e.getMessage());
    }
  }

  @Test
  void anExpiredCertificateIsSaidToHaveExpiredEvenWithItsCaTrusted() throws Exception {
    Path ca = dir.resolve("ca.pem");
    Openssl.expired(ca, cert(), key());
    assertEquals(
        java.util.Optional.of(
            "warning: the TLS certificate in "
                + cert()
                + " expired on "
                + Pem.certificates(cert(), "c").getFirst().getNotAfter().toInstant()
                + "; clients refuse it until it is renewed"),
        Tls.load(cert(), key()).validityWarning(java.time.Instant.now()));
    try (OceanServer server = start()) {
      OceanClientException e =
          assertThrows(
              OceanClientException.class,
              () ->
                  OceanClient.forUser(server.url(), null)
                      .withTrustedCertificates(ca)
                      .get("/health", Health.class));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "the server's certificate at " + server.url() + " has expired (valid until "),
          e.getMessage());
      assertTrue(
          e.getMessage()
              .endsWith(
                  "); the server needs a renewed certificate (or check this machine's clock)"),
          e.getMessage());
    }
  }

  @Test
  void aCertificateWithinItsPeriodGetsNoWarning() throws Exception {
    Openssl.selfSigned(cert(), key(), "rsa:2048");
    assertEquals(
        java.util.Optional.empty(),
        Tls.load(cert(), key()).validityWarning(java.time.Instant.now()));
  }

  @Test
  void plainHttpToTheTlsPortGetsNoAnswer() throws Exception {
    Openssl.selfSigned(cert(), key(), "rsa:2048");
    try (OceanServer server = start()) {
      String plain = "http://127.0.0.1:" + server.port();
      OceanClientException e =
          assertThrows(
              OceanClientException.class,
              () -> OceanClient.forUser(plain, null).get("/health", Health.class));
      assertEquals(
          "the server at "
              + plain
              + " closed the connection without answering; does it serve https:// instead?",
          e.getMessage());
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        s.setSoTimeout(5000);
        OutputStream out = s.getOutputStream();
        out.write(
            "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        assertFalse(answer.contains("\"ok\""), answer);
        assertFalse(answer.startsWith("HTTP/1.1 200"), answer);
      }
    }
  }

  @Test
  void tlsCertWithoutTlsKeyIsAUsageError() throws Exception {
    Openssl.selfSigned(cert(), key(), "rsa:2048");
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new Main())
            .setErr(new PrintWriter(err))
            .execute(
                "--port",
                "0",
                "--data",
                dir.resolve("data").toString(),
                "--tls-cert",
                cert().toString());
    assertEquals(2, exit, err.toString());
    assertEquals(
        "Error: --tls-cert and --tls-key go together (env OCEAN_TLS_CERT and OCEAN_TLS_KEY);"
            + " --tls-key is missing.",
        err.toString().strip());
    assertFalse(Files.exists(dir.resolve("data")), "nothing was created");
  }

  @Test
  void aGarbageKeyFileStopsTheServerNamingTheFile() throws Exception {
    Openssl.selfSigned(cert(), key(), "rsa:2048");
    Files.writeString(key(), "this is not a key\n");
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new Main())
            .setErr(new PrintWriter(err))
            .execute(
                "--port",
                "0",
                "--host",
                "127.0.0.1",
                "--data",
                dir.resolve("data").toString(),
                "--tls-cert",
                cert().toString(),
                "--tls-key",
                key().toString());
    assertEquals(1, exit, err.toString());
    assertEquals(
        "Error: ocean-server could not start: the TLS key file "
            + key()
            + " holds no PEM private key (-----BEGIN PRIVATE KEY-----).",
        err.toString().strip());
    assertFalse(Files.exists(dir.resolve("data")), "nothing was created");
  }

  @Test
  void aKeyOfAnotherCertificateStopsTheServer() throws Exception {
    Openssl.selfSigned(cert(), key(), "rsa:2048");
    Path otherCert = dir.resolve("other.pem");
    Openssl.selfSigned(otherCert, dir.resolve("other-key.pem"), "rsa:2048");
    var e =
        assertThrows(
            RuntimeException.class,
            () ->
                OceanServer.start(
                    new ServerConfig(dir.resolve("data")).port(0).tlsCert(otherCert).tlsKey(key()),
                    new PrintStream(PrintStream.nullOutputStream())));
    assertEquals(
        "the key in " + key() + " does not belong to the certificate in " + otherCert,
        e.getMessage());
  }
}
