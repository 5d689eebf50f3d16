package dev.ocean.common.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client for an {@code http://} address sets up no TLS (it starts faster), so a server that
 * redirects to {@code https://} is answered with the address to use instead of a failed request.
 */
class RedirectToHttpsTest {
  private WireMockServer server;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void aRedirectToHttpsNamesTheAddressToUse() {
    server.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(301)
                    .withHeader("Location", "https://ocean.example/api/v1/jobs")));
    OceanClient client = OceanClient.forUser(server.baseUrl(), "oc_test");

    OceanApiException e =
        assertThrows(OceanApiException.class, () -> client.get("/jobs", JsonNode.class));

    assertEquals(301, e.status());
    assertEquals(
        "the server at "
            + server.baseUrl()
            + " redirects to https://ocean.example/api/v1/jobs; use its https:// address",
        e.getMessage());
  }
}
