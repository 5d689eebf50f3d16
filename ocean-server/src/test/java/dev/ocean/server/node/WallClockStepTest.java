package dev.ocean.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step of the server's wall clock (NTP, a resumed VM, {@code date -s}) is not silence of the
 * nodes: before, every node read as silent for the size of the step, was marked lost and its runs
 * failed, though its agent never stopped heartbeating (qa11 T10).
 */
class WallClockStepTest {
  private static final NodeFacts FACTS =
      new NodeFacts("box.lab", "Linux", "amd64", "EPYC", 64, 1L << 38, List.of(), List.of(), null);

  @TempDir Path dir;
  private final NodeServiceTest.TestClock clock = new NodeServiceTest.TestClock();
  private NodeFixture fx;

  @AfterEach
  void close() {
    fx.db.close();
  }

  @Test
  void aForwardStepOfTheWallClockLosesNoNodeAndItsTimeoutStartsAgain() {
    fx = new NodeFixture(dir, clock);
    NodeService nodes = fx.service();
    Registration.Accepted a = fx.register(nodes, "box", "1h", FACTS);
    NodeRef box = nodes.authenticate(a.credential()).orElseThrow();
    nodes.heartbeat(box, new Heartbeat(null, null, List.of()));
    assertEquals(List.of(), nodes.markLost());

    clock.advance(Duration.ofHours(25)); // the wall clock steps; hardly any time passed here
    assertEquals(List.of(), nodes.markLost(), "the step is not 25 h of silence");
    assertEquals("ready", state("box"));

    clock.advance(Duration.ofSeconds(2));
    assertEquals(List.of(), nodes.markLost(), "its fresh timeout (3 s) runs from the step");
    clock.advance(Duration.ofSeconds(2));
    assertEquals(List.of("box"), nodes.markLost(), "silent 4 s on the new clock: lost as usual");
  }

  private String state(String name) {
    return fx.db
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT state FROM nodes WHERE name = ?")
                    .bind(0, name)
                    .mapTo(String.class)
                    .one());
  }
}
