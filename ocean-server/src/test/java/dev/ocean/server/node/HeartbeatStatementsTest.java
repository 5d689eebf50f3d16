package dev.ocean.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live node's heartbeat is the most frequent request a cluster gets (every node, every few
 * seconds): it costs the credential lookup, which reads the node's state too, and nothing more; its
 * time waits in memory for the next flush ({@link LastSeen}), so it waits for no commit.
 */
class HeartbeatStatementsTest {
  @TempDir Path dir;

  @Test
  void aLiveNodesHeartbeatTakesOneReadAndSaysItIsReady() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      AtomicInteger count = new AtomicInteger();
      java.util.List<String> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
      c.server
          .database()
          .jdbi()
          .setSqlLogger(
              new SqlLogger() {
                @Override
                public void logBeforeExecution(StatementContext context) {
                  // the request's own thread; not the server's background threads (the group
                  // commit writes only the timer's flushes of heartbeat times now)
                  String thread = Thread.currentThread().getName();
                  if (!thread.startsWith("ocean-")) {
                    count.incrementAndGet();
                    String sql = context.getRenderedSql().strip().toUpperCase(Locale.ROOT);
                    if (!sql.startsWith("SELECT")) {
                      writes.add(sql);
                    }
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

      assertEquals(1, count.get() - before);
      assertEquals(java.util.List.of(), writes);
      assertEquals("ready", ack.state());
      assertEquals(null, ack.credential());
    }
  }
}
