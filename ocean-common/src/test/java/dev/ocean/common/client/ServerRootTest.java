package dev.ocean.common.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.common.api.Health;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A server address saved or given with the API's own path ({@code http://h:8080/api}) is refused
 * with a sentence, not sent on as {@code /api/api/v1/...} (qa7 K9).
 */
class ServerRootTest {
  @Test
  void anAddressEndingInTheApiPathIsRefusedBeforeAnyRequest() {
    OceanClient client = OceanClient.forUser("http://127.0.0.1:1/api/v1/", null);

    var e = assertThrows(OceanClientException.class, () -> client.get("/health", Health.class));

    assertEquals(
        "the server address 'http://127.0.0.1:1/api/v1' should be the server's root,"
            + " http://127.0.0.1:1, without /api/v1",
        e.getMessage());
  }

  @Test
  void aRootOrAPrefixOfAProxyIsNoProblem() {
    assertEquals(Optional.empty(), OceanClient.notRoot("http://127.0.0.1:8080"));
    assertEquals(Optional.empty(), OceanClient.notRoot("https://example.com/ocean"));
  }
}
