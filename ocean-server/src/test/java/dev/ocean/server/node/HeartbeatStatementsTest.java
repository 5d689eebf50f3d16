package dev.ocean.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live node's heartbeat is the most frequent write a cluster makes (every node, every few
 * seconds): it costs the credential lookup, one read of the node and one update, nothing more.
 */
class HeartbeatStatementsTest {
  @TempDir Path dir;

  @Test
  void aLiveNodesHeartbeatTakesThreeStatementsAndSaysItIsReady() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      AtomicInteger count = new AtomicInteger();
      c.server
          .database()
          .jdbi()
          .setSqlLogger(
              new SqlLogger() {
                @Override
                public void logBeforeExecution(StatementContext context) {
                  // the request's own thread and the group commit that writes for it; not the
                  // server's other background threads
                  String thread = Thread.currentThread().getName();
                  if (!thread.startsWith("ocean-") || thread.equals("ocean-group-commit")) {
                    count.incrementAndGet();
                  }
                }
              });
      c.node.post(
          "/agent/heartbeat", new Heartbeat(null, null, java.util.List.of()), Heartbeat.Ack.class);

      int before = count.get();
      Heartbeat.Ack ack =
          c.node.post(
              "/agent/heartbeat",
              new Heartbeat(null, null, java.util.List.of()),
              Heartbeat.Ack.class);

      assertEquals(3, count.get() - before);
      assertEquals("ready", ack.state());
      assertEquals(null, ack.credential());
    }
  }
}
