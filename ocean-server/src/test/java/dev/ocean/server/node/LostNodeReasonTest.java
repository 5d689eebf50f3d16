package dev.ocean.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose agent stopped shows as lost because nothing was heard from it, not because of what
 * its engine probe said while the agent shut down.
 */
class LostNodeReasonTest {
  @TempDir Path dir;

  @Test
  void aLostNodeIsBlamedOnItsSilenceNotOnItsLastEngineProbe() throws Exception {
    try (ScriptedCluster c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      // the last heartbeat of an agent shutting down: its engine client was already closed
      NodeFacts dying =
          new NodeFacts(
              "n1",
              "Linux",
              "amd64",
              "cpu",
              8,
              64L << 30,
              List.of(),
              List.of(),
              new RuntimeInfo(
                  RuntimeInfo.DOCKER,
                  "the container engine at unix:///var/run/docker.sock does not answer: closed",
                  RuntimeInfo.HANDOFF_NONE,
                  null));
      c.node.post("/agent/heartbeat", new Heartbeat(null, dying, List.of()), Heartbeat.Ack.class);
      c.server
          .database()
          .jdbi()
          .useHandle(h -> h.execute("UPDATE nodes SET state = 'lost', last_seen_at = 0"));

      Node n1 = c.admin.get("/nodes", new TypeReference<List<Node>>() {}).getFirst();

      assertEquals("lost", n1.state());
      assertEquals(
          "no heartbeat since 1970-01-01 00:00 UTC: its agent stopped or cannot reach the server",
          n1.unschedulable());
      assertTrue(!n1.unschedulable().contains("engine"), n1.unschedulable());
    }
  }
}
