package dev.ocean.server.node;

import static dev.ocean.server.node.NodeState.DRAINING;
import static dev.ocean.server.node.NodeState.LOST;
import static dev.ocean.server.node.NodeState.READY;
import static dev.ocean.server.node.NodeState.REMOVED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeStateTest {

  /** Written out apart from the enum so that a change to the table is a visible decision. */
  private static final Set<List<NodeState>> ALLOWED =
      Set.of(
          List.of(READY, DRAINING),
          List.of(READY, LOST),
          List.of(READY, REMOVED),
          List.of(DRAINING, READY),
          List.of(DRAINING, LOST),
          List.of(DRAINING, REMOVED),
          List.of(LOST, READY),
          List.of(LOST, DRAINING),
          List.of(LOST, REMOVED),
          List.of(REMOVED, READY));

  @Test
  void everyPairOfStatesFollowsTheTransitionTable() {
    for (NodeState from : NodeState.values()) {
      for (NodeState to : NodeState.values()) {
        assertEquals(
            ALLOWED.contains(List.of(from, to)), from.canTransitionTo(to), from + " -> " + to);
      }
    }
  }

  @Test
  void aLostNodeComesBackAsTheAdminLeftIt() {
    assertEquals(Set.of(READY, DRAINING, REMOVED), reachable(LOST));
  }

  @Test
  void aRemovedNodeComesBackOnlyByJoiningAgain() {
    assertEquals(Set.of(READY), reachable(REMOVED));
  }

  @Test
  void wireNamesAreLowerCaseAndReadBack() {
    for (NodeState s : NodeState.values()) {
      assertEquals(s.name().toLowerCase(), s.wireName());
      assertEquals(s, NodeState.of(s.wireName()));
    }
    assertEquals(DRAINING, NodeState.of("DRAINING"));
    assertThrows(IllegalArgumentException.class, () -> NodeState.of("gone"));
  }

  private static Set<NodeState> reachable(NodeState from) {
    return java.util.Arrays.stream(NodeState.values())
        .filter(from::canTransitionTo)
        .collect(java.util.stream.Collectors.toSet());
  }
}
