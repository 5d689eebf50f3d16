package dev.ocean.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlainHttpWarningTest {
  @Test
  void plainHttpOnEveryInterfaceOrAnotherAddressIsWarnedAbout() {
    for (String host : new String[] {"0.0.0.0", "::", "10.0.0.5", null}) {
      Optional<String> warning = PlainHttp.warning(host, false);
      assertTrue(warning.isPresent(), host);
      assertTrue(warning.get().contains("--tls-cert"), warning.get());
      assertEquals(1, warning.get().lines().count());
    }
  }

  @Test
  void loopbackOrTlsIsNot() {
    assertEquals(Optional.empty(), PlainHttp.warning("127.0.0.1", false));
    assertEquals(Optional.empty(), PlainHttp.warning("localhost", false));
    assertEquals(Optional.empty(), PlainHttp.warning("::1", false));
    assertEquals(Optional.empty(), PlainHttp.warning("0.0.0.0", true));
  }
}
