package dev.ocean.common.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client given several servers ({@code --server a,b}) answers from the next one when the one it
 * uses is down or failing, stays with the one that answered, and names every one it tried when none
 * answers.
 */
class ServerFailoverTest {
  private WireMockServer first;
  private WireMockServer second;

  @BeforeEach
  void start() {
    first = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    second = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    first.start();
    second.start();
  }

  @AfterEach
  void stop() {
    first.stop();
    second.stop();
  }

  private static void answers(WireMockServer server, String who) {
    server.stubFor(
        get(urlEqualTo("/api/v1/whoami?x=1"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"server\":\"" + who + "\"}")));
  }

  @Test
  void aServerThatRefusesConnectionsIsSkippedAndTheLiveOneKept() throws IOException {
    answers(second, "second");
    String dead = "http://127.0.0.1:" + closedPort();
    OceanClient client = OceanClient.forUser(dead + "," + second.baseUrl() + "/", "oc_test");

    assertEquals("second", client.get("/whoami?x=1", JsonNode.class).get("server").asText());
    assertEquals(second.baseUrl(), client.baseUrl(), "the client stays with the live server");
    OceanClient derived = client.withHeader("X-Test", "1");
    assertEquals("second", derived.get("/whoami?x=1", JsonNode.class).get("server").asText());
    second.verify(2, getRequestedFor(urlEqualTo("/api/v1/whoami?x=1")));
  }

  @Test
  void aServerAnswering503IsLeftForTheNextAndThePostArrivesOnce() {
    first.stubFor(post(urlEqualTo("/api/v1/jobs")).willReturn(aResponse().withStatus(503)));
    second.stubFor(
        post(urlEqualTo("/api/v1/jobs"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"id\":7}")));
    OceanClient client = OceanClient.forUser(first.baseUrl() + "," + second.baseUrl(), "oc_test");

    JsonNode job = client.post("/jobs", Map.of("name", "a"), JsonNode.class);

    assertEquals(7, job.get("id").asInt());
    first.verify(1, postRequestedFor(urlEqualTo("/api/v1/jobs")));
    second.verify(1, postRequestedFor(urlEqualTo("/api/v1/jobs")));
    client.post("/jobs", Map.of("name", "b"), JsonNode.class);
    first.verify(1, postRequestedFor(urlEqualTo("/api/v1/jobs")));
  }

  @Test
  void whenEveryServerIsDownTheErrorNamesEachOfThem() throws IOException {
    String a = "http://127.0.0.1:" + closedPort();
    String b = "http://127.0.0.1:" + closedPort();
    OceanClient client = OceanClient.forUser(a + "," + b, "oc_test");

    OceanClientException e =
        assertThrows(OceanClientException.class, () -> client.get("/jobs", JsonNode.class));

    assertEquals(
        "cannot connect to any Ocean server ("
            + a
            + ", "
            + b
            + "): connection refused; is it running?",
        e.getMessage());
  }

  @Test
  void aFailedRequestIsNotSentTwiceToOneServer() {
    first.stubFor(get(urlEqualTo("/api/v1/whoami?x=1")).willReturn(aResponse().withStatus(500)));
    second.stubFor(get(urlEqualTo("/api/v1/whoami?x=1")).willReturn(aResponse().withStatus(502)));
    OceanClient client = OceanClient.forUser(first.baseUrl() + "," + second.baseUrl(), "oc_test");

    OceanApiException e =
        assertThrows(OceanApiException.class, () -> client.get("/whoami?x=1", JsonNode.class));

    assertEquals(502, e.status());
    first.verify(1, getRequestedFor(urlEqualTo("/api/v1/whoami?x=1")));
    second.verify(1, getRequestedFor(urlEqualTo("/api/v1/whoami?x=1")));
  }

  @Test
  void aServerThatTakesTheConnectionButNeverAnswersIsLeftForTheNextOnAGet() throws IOException {
    answers(second, "second");
    try (SilentServer frozen = new SilentServer()) {
      OceanClient client =
          OceanClient.forUser(frozen.url() + "," + second.baseUrl(), "oc_test")
              .withReadTimeout(Duration.ofMillis(300));

      assertEquals("second", client.get("/whoami?x=1", JsonNode.class).get("server").asText());
      assertEquals(second.baseUrl(), client.baseUrl(), "the client stays with the one answering");
      assertEquals("second", client.get("/whoami?x=1", JsonNode.class).get("server").asText());
      assertEquals(1, frozen.accepted(), "the frozen server is not asked again");
    }
  }

  @Test
  void aPostThatGotNoAnswerIsNotSentToAnotherServerAndTheErrorSaysSo() throws IOException {
    second.stubFor(post(urlEqualTo("/api/v1/jobs")).willReturn(aResponse().withStatus(201)));
    try (SilentServer frozen = new SilentServer()) {
      OceanClient client =
          OceanClient.forUser(frozen.url() + "," + second.baseUrl(), "oc_test")
              .withReadTimeout(Duration.ofMillis(300));

      OceanClientException e =
          assertThrows(
              OceanClientException.class,
              () -> client.post("/jobs", Map.of("name", "a"), JsonNode.class));

      assertEquals(
          "the Ocean server at "
              + frozen.url()
              + " did not answer in time and may have carried the request out, so it was not sent"
              + " to another server; check before repeating it",
          e.getMessage());
      second.verify(0, postRequestedFor(urlEqualTo("/api/v1/jobs")));
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
