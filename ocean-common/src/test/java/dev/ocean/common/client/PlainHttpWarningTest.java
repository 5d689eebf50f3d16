package dev.ocean.common.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class PlainHttpWarningTest {
  @Test
  void aTokenSentOverPlainHttpToAnotherMachineIsExposed() {
    for (String url :
        List.of(
            "http://10.0.0.5:8080/api/v1/jobs", "http://ocean.example/x", "http://[fe80::1]/")) {
      assertTrue(PlainHttpWarning.exposesCredential(HttpUrl.get(url)), url);
    }
  }

  @Test
  void httpsAndThisMachineAreNot() {
    for (String url :
        List.of(
            "https://ocean.example/x",
            "http://127.0.0.1:8080/x",
            "http://127.1.2.3/x",
            "http://localhost:8080/x",
            "http://[::1]:8080/x")) {
      assertFalse(PlainHttpWarning.exposesCredential(HttpUrl.get(url)), url);
    }
  }
}
