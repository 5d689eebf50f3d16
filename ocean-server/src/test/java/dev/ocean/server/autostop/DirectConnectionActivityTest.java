package dev.ocean.server.autostop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.store.TestStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Direct SSH or editor connections, which bypass the server's tunnel, keep an instance from idle
 * stop: the agent names the runs whose container traffic moved in its heartbeat ({@code
 * activeRuns}), and only the node that runs them may.
 */
class DirectConnectionActivityTest {
  @TempDir Path dir;
  private IdleCluster c;

  @AfterEach
  void stop() {
    if (c != null) {
      c.close();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void trafficTheAgentSawKeepsAnInstanceWithIdleGpusRunning(TestStorage storage) throws Exception {
    c = new IdleCluster(dir, storage);
    IdleCluster.Started used = c.instance("used");
    IdleCluster.Started idle = c.instance("idle");

    for (int hour = 0; hour < 5; hour++) {
      c.clock.advance(Duration.ofHours(1));
      c.beat(c.node, List.of(used.run().runId()));
      c.server.sweepNow();
    }

    assertEquals(List.of(idle.id() + ": idle for 4 h"), c.stops, "only the unused one stops");
    assertEquals("not idle: connection active", outlook(used).summary());
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void anotherNodeNamingTheRunChangesNothing(TestStorage storage) throws Exception {
    c = new IdleCluster(dir, storage);
    OceanClient other = c.join("n2");
    IdleCluster.Started dev = c.instance("dev");

    for (int hour = 0; hour < 5; hour++) {
      c.clock.advance(Duration.ofHours(1));
      c.beat(c.node, List.of());
      c.beat(other, List.of(dev.run().runId()));
      c.server.sweepNow();
    }

    assertEquals(List.of(dev.id() + ": idle for 4 h"), c.stops);
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aHeartbeatNamingSomethingThatIsNoRunOrTooManyRunsIsRefusedNamingTheField(TestStorage storage)
      throws Exception {
    c = new IdleCluster(dir, storage);
    OceanApiException e =
        assertThrows(OceanApiException.class, () -> c.beat(c.node, List.of("1-0", "rm -rf")));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("activeRuns[1]"), e.getMessage());

    List<String> many = java.util.stream.IntStream.range(0, 257).mapToObj(i -> i + "-0").toList();
    OceanApiException tooMany = assertThrows(OceanApiException.class, () -> c.beat(c.node, many));
    assertEquals(400, tooMany.status());
    assertTrue(
        tooMany.getMessage().contains("activeRuns may list at most 256"), tooMany.getMessage());
  }

  private dev.ocean.common.api.instance.Instance.IdleOutlook outlook(IdleCluster.Started i) {
    return c.jdbi.withHandle(h -> c.server.idle().outlook(h, i.id()));
  }
}
