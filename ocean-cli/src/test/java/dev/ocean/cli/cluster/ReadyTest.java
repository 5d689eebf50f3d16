package dev.ocean.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.node.Node;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ocean up} of a cluster whose node {@code local} an admin drained finds it up as soon as
 * its agent is heard from, instead of waiting 120 s for a "ready" only an undrain brings (qa6 H5).
 */
class ReadyTest {
  private static final Instant START = Instant.parse("2030-01-15T09:00:00Z");

  private static Node node(String state, Instant lastSeen) {
    return new Node(
        "local",
        state,
        4,
        1L << 30,
        0,
        0,
        null,
        START.minusSeconds(3600),
        lastSeen,
        "0.1.0",
        null,
        null,
        List.of(),
        null);
  }

  @Test
  void aDrainedNodeHeardFromSinceTheStartIsUp() {
    assertTrue(Ready.isUp(node("draining", START.plusSeconds(3)), START));
    assertTrue(Ready.isUp(node("ready", START.plusSeconds(1)), START));
  }

  @Test
  void aReadyNodeNotHeardFromSinceTheStartIsNotUpYet() {
    // qa7 K7: "ready" from before `ocean down`, while the agent called the old address
    assertFalse(Ready.isUp(node("ready", START.minusSeconds(7)), START));
    assertFalse(Ready.isUp(node("ready", null), START));
  }

  @Test
  void aDrainedNodeNotHeardFromSinceTheStartIsNotUpYet() {
    assertFalse(Ready.isUp(node("draining", START.minusSeconds(60)), START));
    assertFalse(Ready.isUp(node("draining", null), START));
    assertFalse(Ready.isUp(node("lost", START.plusSeconds(3)), START));
  }
}
