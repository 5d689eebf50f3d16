package dev.ocean.cli.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever a broken or absent server does, the CLI says so in one sentence with the right code. */
class ServerFailureTest {
  @TempDir Path dir;
  WireMockServer server;
  Ocean ocean;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    ocean = new Ocean(dir).env("OCEAN_SERVER", server.baseUrl()).env("OCEAN_TOKEN", "oc_test");
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private String answer(ResponseDefinitionBuilder response, int exit) {
    server.stubFor(any(anyUrl()).willReturn(response));
    String sentence = ocean.ocean("volume", "list").failsWithOneLine(exit);
    assertFalse(sentence.contains("<") || sentence.contains("{"), sentence);
    return sentence;
  }

  @Test
  void serverErrorWithAProblemShowsItsDetail() {
    String why =
        answer(
            aResponse()
                .withStatus(500)
                .withHeader("Content-Type", "application/problem+json")
                .withBody(
                    "{\"type\":\"about:blank\",\"title\":\"Internal error\",\"status\":500,"
                        + "\"detail\":\"the database is on fire\"}"),
            1);
    assertEquals("the database is on fire.", why);
  }

  @Test
  void verboseAddsTheProblemAndTheTrace() {
    server.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "application/problem+json")
                    .withBody(
                        "{\"title\":\"Internal error\",\"status\":500,\"detail\":\"boom\"}")));
    Run run = ocean.ocean("volume", "list", "-v");
    assertEquals(1, run.exit());
    assertTrue(run.err().startsWith("Error: boom."), run.toString());
    assertTrue(run.err().contains("problem: Problem[") && run.err().contains("\tat "), run.err());
  }

  @Test
  void serverErrorWithoutABodySaysTheServerFailed() {
    String why = answer(aResponse().withStatus(500), 1);
    assertTrue(why.contains(server.baseUrl()) && why.contains("HTTP 500"), why);
  }

  @Test
  void htmlErrorPageFromAProxyIsNotShown() {
    String why =
        answer(
            aResponse()
                .withStatus(502)
                .withHeader("Content-Type", "text/html")
                .withBody("<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"),
            1);
    assertTrue(why.contains("HTTP 502"), why);
  }

  @Test
  void htmlPageWhereTheApiShouldBeAsksWhetherTheAddressIsRight() {
    String why =
        answer(
            aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/html")
                .withBody("<html><body>Welcome to nginx!</body></html>"),
            1);
    assertTrue(why.contains("is the address right"), why);
    why =
        answer(
            aResponse()
                .withStatus(404)
                .withHeader("Content-Type", "text/html")
                .withBody("<html><body>Not Found</body></html>"),
            3);
    assertTrue(why.contains("is the address right"), why);
  }

  @Test
  void brokenJsonFromTheServerIsOneSentence() {
    String why =
        answer(
            aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("[{\"name\": \"data\", "),
            1);
    assertTrue(why.contains(server.baseUrl()), why);
  }

  @Test
  void clientErrorsMapToTheirExitCodes() {
    String problem = "{\"title\":\"T\",\"status\":%d,\"detail\":\"because %d\"}";
    int[][] statusToExit = {{400, 2}, {401, 4}, {403, 4}, {404, 3}, {409, 5}, {422, 2}};
    for (int[] pair : statusToExit) {
      server.resetAll();
      String why =
          answer(
              aResponse()
                  .withStatus(pair[0])
                  .withHeader("Content-Type", "application/problem+json")
                  .withBody(problem.formatted(pair[0], pair[0])),
              pair[1]);
      assertEquals("because " + pair[0] + ".", why);
    }
  }

  @Test
  void slowServerTimesOutAfterOceanTimeout() {
    ocean.env("OCEAN_TIMEOUT", "0.3");
    long start = System.nanoTime();
    String why =
        answer(
            aResponse()
                .withStatus(200)
                .withFixedDelay(5_000)
                .withHeader("Content-Type", "application/json")
                .withBody("[]"),
            1);
    assertTrue(why.contains("did not answer in time"), why);
    assertTrue(System.nanoTime() - start < 4_000_000_000L, "the timeout was not applied");
  }

  @Test
  void badOceanTimeoutIsAUsageError() {
    ocean.env("OCEAN_TIMEOUT", "soon");
    assertTrue(ocean.ocean("volume", "list").failsWithOneLine(2).contains("OCEAN_TIMEOUT"));
  }

  @Test
  void refusedConnectionAsksWhetherTheServerRuns() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closed;
    String why = ocean.env("OCEAN_SERVER", url).ocean("volume", "list").failsWithOneLine(1);
    assertTrue(why.contains("cannot connect") && why.contains(url), why);
    why =
        ocean
            .withStdin("Str0ng!pw\n", "login", "--email", "a@b.c", "--password-stdin")
            .failsWithOneLine(1);
    assertTrue(why.contains("cannot connect"), why);
  }
}
