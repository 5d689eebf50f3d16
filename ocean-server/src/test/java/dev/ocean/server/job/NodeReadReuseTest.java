package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.api.job.Run;
import dev.ocean.common.json.Json;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.node.MetricsHistory;
import dev.ocean.server.node.NodeService;
import dev.ocean.server.scheduler.ClusterSnapshot;
import dev.ocean.server.scheduler.NodeStatus;
import dev.ocean.server.store.Database;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import dev.ocean.server.user.Principal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A scheduling pass keeps its read of the nodes until a node changes, on this server or another one
 * sharing the database; a run waiting for a node is placed by the first pass after that node
 * becomes usable.
 */
class NodeReadReuseTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aRunIsPlacedByThePassRightAfterItsNodeIsUndrained(TestStorage storage) throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      c.admin.post("/admin/nodes/n1/drain", null, Object.class);
      long job = c.submit("waits", null, 1).id();
      c.server.scheduler().pass();
      assertEquals("pending", c.job(job).runs().getFirst().state());

      c.admin.post("/admin/nodes/n1/undrain", null, Object.class);
      c.server.scheduler().pass();

      Run run = c.job(job).runs().getFirst();
      assertEquals("assigned", run.state());
      assertEquals("n1", run.node());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aNodeUndrainedThroughAnotherServerTakesTheNextPassesRun(TestStorage storage)
      throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      NodeService other = otherServersNodes(c.server.database());
      Principal admin = c.server.users().authenticate(c.adminToken).orElseThrow();
      other.change(admin, "n1", "drain", false);
      long job = c.submit("waits", null, 1).id();
      c.server.scheduler().pass();
      assertEquals("pending", c.job(job).runs().getFirst().state());

      other.change(admin, "n1", "undrain", false);
      c.server.scheduler().pass();

      assertEquals("assigned", c.job(job).runs().getFirst().state());
    }
  }

  @Test
  void readsWithoutANodeChangeDoNotReadTheNodesAgain() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      AtomicInteger nodeReads = new AtomicInteger();
      var jdbi = c.server.database().jdbi();
      jdbi.setSqlLogger(
          new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext ctx) {
              if (ctx.getRenderedSql().contains("facts_json FROM nodes")) {
                nodeReads.incrementAndGet();
              }
            }
          });
      SchedulerReads reads = new SchedulerReads(Json.newMapper());
      try (var h = jdbi.open()) {
        assertEquals(NodeStatus.READY, status(reads.cluster(h, n -> true)));
        reads.cluster(h, n -> true);
        reads.cluster(h, n -> true);
        assertEquals(1, nodeReads.get(), "reads of every node by three passes, no node change");

        c.admin.post("/admin/nodes/n1/drain", null, Object.class);
        assertEquals(NodeStatus.DRAINING, status(reads.cluster(h, n -> true)));
        assertEquals(2, nodeReads.get(), "a pass after a node change reads the nodes again");
      }
    }
  }

  private static NodeStatus status(ClusterSnapshot cluster) {
    return cluster.nodes().getFirst().status();
  }

  /** The node service of a second server on the same database. */
  private static NodeService otherServersNodes(Database db) {
    Clock clock = Clock.systemUTC();
    return new NodeService(
        db.jdbi(),
        db.writes(),
        clock,
        new AuditLog(db.jdbi(), clock),
        Json.newMapper(),
        new MetricsHistory(10),
        Duration.ofSeconds(30),
        5);
  }
}
