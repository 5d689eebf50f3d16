package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean instance start} checks the quota as {@code instance create} and {@code job submit}
 * do: a stopped instance whose quota ended is refused with exit 5, not started for the next quota
 * sweep to stop under its user's SSH session (qa6 H10).
 */
class InstanceStartQuotaTest {
  @TempDir Path dir;
  TestCluster cluster;
  Ocean ada;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
    ada = cluster.user("ada@example.com");
    cluster.grant("ada@example.com", "g1.small", 1, 1);
    ada.ocean("instance", "create", "box", "--machine-type", "g1.small", "--image", "pytorch").ok();
    ada.ocean("instance", "stop", "box").ok();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aStoppedInstanceStartsAgainWhileItsQuotaLasts() {
    ada.ocean("instance", "start", "box").ok();
    assertTrue(ada.ocean("instance", "get", "box").ok().out().contains("pending"));
  }

  @Test
  void startWithTheQuotaExpiredIsRefusedWithExit5AndTheInstanceStaysStopped() {
    cluster.clock.advance(Duration.ofDays(2));
    cluster.server.sweepNow();

    String said = ada.ocean("instance", "start", "box").failsWithOneLine(5);
    assertTrue(said.contains("no active quota for machine type g1.small"), said);
    assertTrue(said.contains("ocean quota request"), said);
    String get = ada.ocean("instance", "get", "box").ok().out();
    assertTrue(get.contains("stopped"), get);
  }
}
