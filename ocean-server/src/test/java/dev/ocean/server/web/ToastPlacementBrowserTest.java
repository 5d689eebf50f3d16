package dev.ocean.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A notification (toast) in a real browser never covers the header's Log out button. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ToastPlacementBrowserTest {
  /** Whether a toast shows and what the point at the centre of Log out hits while it does. */
  private static final String PROBE =
      "const b = document.getElementById('logout').getBoundingClientRect();"
          + " const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);"
          + " return [document.querySelectorAll('#notices .notice').length > 0,"
          + " hit !== null && hit.closest('#logout') !== null];";

  WebCluster cluster;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Browser.requireChromium();
    cluster = new WebCluster(dir);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aToastLeavesTheLogOutButtonClickable() {
    try (Browser b = new Browser(cluster.url(), "toast", "en")) {
      b.open("login");
      b.type("#login-email", WebCluster.ADMIN);
      b.type("#login-password", WebCluster.PASSWORD);
      b.click("#login-submit");
      b.find("#logout");
      b.open("quota-requests");
      b.select("#quota-request-machineType", "cpu1");
      b.type("#quota-request-reason", "a toast, please");
      b.click("#quota-request-submit");
      b.find("#notices .notice");

      assertEquals(List.of(true, true), b.driver.executeScript(PROBE));
      b.shot("toast-beside-log-out");
      b.click("#logout");
      b.find("#login-email");
    }
  }
}
