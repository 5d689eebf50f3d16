package dev.ocean.server.job;

import static dev.ocean.server.job.RunState.ASSIGNED;
import static dev.ocean.server.job.RunState.CANCELLED;
import static dev.ocean.server.job.RunState.FAILED;
import static dev.ocean.server.job.RunState.PENDING;
import static dev.ocean.server.job.RunState.RUNNING;
import static dev.ocean.server.job.RunState.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunStateTest {

  /** Written out independently of the enum so that a change to the table is a visible decision. */
  private static final Set<List<RunState>> ALLOWED =
      Set.of(
          List.of(PENDING, ASSIGNED),
          List.of(PENDING, CANCELLED),
          List.of(ASSIGNED, RUNNING),
          List.of(ASSIGNED, FAILED),
          List.of(ASSIGNED, CANCELLED),
          List.of(ASSIGNED, PENDING),
          List.of(RUNNING, SUCCEEDED),
          List.of(RUNNING, FAILED),
          List.of(RUNNING, CANCELLED),
          List.of(RUNNING, PENDING));

  @Test
  void everyPairOfStatesFollowsTheTransitionTable() {
    for (RunState from : RunState.values()) {
      for (RunState to : RunState.values()) {
        assertEquals(
            ALLOWED.contains(List.of(from, to)),
            from.canTransitionTo(to),
            () -> from + " -> " + to);
      }
    }
  }

  @Test
  void terminalStatesHaveNoWayOut() {
    for (RunState from : RunState.values()) {
      boolean hasSuccessor = false;
      for (RunState to : RunState.values()) {
        hasSuccessor |= from.canTransitionTo(to);
      }
      assertEquals(!from.isTerminal(), hasSuccessor, from::name);
    }
  }

  @Test
  void onlyPendingAssignedAndRunningAreActive() {
    assertTrue(PENDING.isActive());
    assertTrue(ASSIGNED.isActive());
    assertTrue(RUNNING.isActive());
    assertFalse(SUCCEEDED.isActive());
    assertFalse(FAILED.isActive());
    assertFalse(CANCELLED.isActive());
  }

  @Test
  void terminalStatesAreSucceededFailedAndCancelled() {
    assertEquals(
        Set.of(SUCCEEDED, FAILED, CANCELLED),
        Set.copyOf(
            java.util.Arrays.stream(RunState.values()).filter(RunState::isTerminal).toList()));
  }

  @Test
  void wireNameIsLowerCaseAndRoundTrips() {
    assertEquals("pending", PENDING.wireName());
    assertEquals("cancelled", CANCELLED.wireName());
    for (RunState state : RunState.values()) {
      assertEquals(state, RunState.fromWireName(state.wireName()));
    }
    assertThrows(IllegalArgumentException.class, () -> RunState.fromWireName("RUNNING"));
  }
}
