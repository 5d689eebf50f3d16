package dev.ocean.server.instance;

import static dev.ocean.server.instance.InstanceState.DELETED;
import static dev.ocean.server.instance.InstanceState.FAILED;
import static dev.ocean.server.instance.InstanceState.PENDING;
import static dev.ocean.server.instance.InstanceState.RUNNING;
import static dev.ocean.server.instance.InstanceState.STARTING;
import static dev.ocean.server.instance.InstanceState.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one transition table of instances: the moves it allows and the ones it refuses. */
class InstanceStateTest {

  @Test
  void theLifecycleMovesAreAllowed() {
    assertTrue(PENDING.canTransitionTo(STARTING));
    assertTrue(STARTING.canTransitionTo(RUNNING));
    assertTrue(STARTING.canTransitionTo(PENDING), "a node lost before it started requeues it");
    assertTrue(RUNNING.canTransitionTo(STOPPED));
    assertTrue(RUNNING.canTransitionTo(FAILED));
    assertTrue(STOPPED.canTransitionTo(PENDING));
    assertTrue(FAILED.canTransitionTo(PENDING));
    for (InstanceState s : InstanceState.values()) {
      assertEquals(s != DELETED, s.canTransitionTo(DELETED), s + " → deleted");
    }
  }

  @Test
  void illegalMovesAreRefused() {
    assertFalse(RUNNING.canTransitionTo(PENDING), "a running instance is never silently requeued");
    assertFalse(STOPPED.canTransitionTo(RUNNING), "a start queues first");
    assertFalse(STOPPED.canTransitionTo(STARTING));
    assertFalse(PENDING.canTransitionTo(RUNNING), "it starts on a node before it runs");
    assertFalse(RUNNING.canTransitionTo(STARTING));
    for (InstanceState s : InstanceState.values()) {
      assertFalse(DELETED.canTransitionTo(s), "deleted is final");
      assertFalse(s.canTransitionTo(s), "staying is not a move");
    }
  }

  @Test
  void theStateFollowsTheCurrentRun() {
    assertEquals(PENDING, InstanceState.followingRun("pending"));
    assertEquals(STARTING, InstanceState.followingRun("assigned"));
    assertEquals(RUNNING, InstanceState.followingRun("running"));
    assertEquals(STOPPED, InstanceState.followingRun("cancelled"));
    assertEquals(STOPPED, InstanceState.followingRun("succeeded"));
    assertEquals(FAILED, InstanceState.followingRun("failed"));
  }
}
