package dev.ocean.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.OceanClientException;
import dev.ocean.common.tls.Openssl;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's client reaches an https server with the certificate it was joined with ({@code
 * --ca-cert}), and refuses one it cannot trust or that names another host with the sentences the
 * rest of Ocean uses.
 */
class NodeClientTlsTest {

  @TempDir Path dir;
  private HttpsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** An https server on port 0 with a new self-signed certificate naming {@code san}. */
  private String serve(String san) throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Path p12 = dir.resolve("server.p12");
    Openssl.run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=test",
        "-addext",
        "subjectAltName=" + san,
        "-keyout",
        key.toString(),
        "-out",
        cert.toString());
    Openssl.run(
        "pkcs12",
        "-export",
        "-in",
        cert.toString(),
        "-inkey",
        key.toString(),
        "-out",
        p12.toString(),
        "-passout",
        "pass:pw");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, "pw".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "pw".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext(
        "/",
        x -> {
          x.getRequestBody().readAllBytes();
          byte[] out = "{\"size\":5}".getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().set("Content-Type", "application/json");
          x.sendResponseHeaders(200, out.length);
          try (var os = x.getResponseBody()) {
            os.write(out);
          }
        });
    server.start();
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  private Path cert() {
    return dir.resolve("cert.pem");
  }

  private static OceanClient ocean(String url, Path caCert) {
    OceanClient c =
        OceanClient.withAuthorization(url, "Bearer cred")
            .withHeader(AgentProtocol.HEADER, String.valueOf(AgentProtocol.VERSION));
    return caCert == null ? c : c.withTrustedCertificates(caCert);
  }

  @Test
  void theCertificateTheNodeJoinedWithIsTrusted() throws Exception {
    String url = serve("IP:127.0.0.1,DNS:localhost");

    NodeClient client = AgentDaemon.agentClient(url, "cred", cert().toString());

    assertEquals(5, client.post(AgentProtocol.HEARTBEAT, Map.of(), LogAck.class).size());
  }

  @Test
  void aRenewedCertificateFileIsReadAgainWithoutARestart() throws Exception {
    String url = serve("IP:127.0.0.1,DNS:localhost");
    // the agent's file holds another certificate: the server's was renewed, the file not yet
    Path agentCa = dir.resolve("agent-ca.pem");
    Openssl.selfSigned(agentCa, dir.resolve("old-key.pem"), "rsa:2048");
    NodeClient client = AgentDaemon.agentClient(url, "cred", agentCa.toString());
    OceanClientException refused =
        assertThrows(
            OceanClientException.class,
            () -> client.post(AgentProtocol.HEARTBEAT, Map.of(), LogAck.class));
    assertTrue(refused.getMessage().contains("not trusted"), refused.getMessage());

    // the admin replaces the file; the same client, as the running agent holds it, trusts it
    Files.copy(cert(), agentCa, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(5, client.post(AgentProtocol.HEARTBEAT, Map.of(), LogAck.class).size());
  }

  @Test
  void plainHttpToTheTlsPortAsksWhetherItServesHttpsAsTheCliDoes() throws Exception {
    String url = serve("IP:127.0.0.1,DNS:localhost").replace("https://", "http://");
    OceanClientException actual =
        assertThrows(
            OceanClientException.class,
            () -> AgentDaemon.agentClient(url, "cred", null).get("/agent/work", Map.class));
    assertEquals(
        "the server at "
            + url
            + " closed the connection without answering; does it serve https:// instead?",
        actual.getMessage());
  }

  @Test
  void anUntrustedCertificateIsRefusedWithTheSameSentence() throws Exception {
    String url = serve("IP:127.0.0.1,DNS:localhost");

    OceanClientException expected =
        assertThrows(
            OceanClientException.class, () -> ocean(url, null).get("/agent/work", Map.class));
    OceanClientException actual =
        assertThrows(
            OceanClientException.class,
            () -> AgentDaemon.agentClient(url, "cred", null).get("/agent/work", Map.class));

    assertEquals(expected.getMessage(), actual.getMessage());
    assertTrue(actual.getMessage().contains("--ca-cert"), actual.getMessage());
  }

  @Test
  void aCertificateForAnotherHostIsRefusedWithTheSameSentence() throws Exception {
    String url = serve("DNS:other.example");

    OceanClientException expected =
        assertThrows(
            OceanClientException.class, () -> ocean(url, cert()).get("/agent/work", Map.class));
    OceanClientException actual =
        assertThrows(
            OceanClientException.class,
            () ->
                AgentDaemon.agentClient(url, "cred", cert().toString())
                    .get("/agent/work", Map.class));

    assertEquals(expected.getMessage(), actual.getMessage());
    assertTrue(actual.getMessage().contains("does not name the host"), actual.getMessage());
  }
}
