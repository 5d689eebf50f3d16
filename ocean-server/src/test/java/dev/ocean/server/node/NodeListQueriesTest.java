package dev.ocean.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.Version;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /nodes} and {@code GET /gpus} cost the same queries for one node as for many. */
class NodeListQueriesTest {
  @TempDir Path dir;

  @Test
  void listingNodesAndGpusDoesNotQueryPerNode() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      AtomicInteger statements = new AtomicInteger();
      c.server
          .database()
          .jdbi()
          .setSqlLogger(
              new SqlLogger() {
                @Override
                public void logBeforeExecution(StatementContext context) {
                  // The server's own threads (scheduler, sweeps) are not the request's queries.
                  if (!Thread.currentThread().getName().startsWith("ocean-")) {
                    statements.incrementAndGet();
                  }
                }
              });
      int forOne = queriesToList(c, statements, 1);
      register(c, "n2");
      register(c, "n3");
      assertEquals(forOne, queriesToList(c, statements, 3), "queries per list, not per node");
    }
  }

  private static int queriesToList(ScriptedCluster c, AtomicInteger statements, int nodes) {
    statements.set(0);
    List<Node> listed = c.admin.get("/nodes", new TypeReference<List<Node>>() {});
    List<Node.Gpu> gpus = c.admin.get("/gpus", new TypeReference<List<Node.Gpu>>() {});
    assertEquals(nodes, listed.size());
    assertEquals(2 * nodes, gpus.size());
    return statements.get();
  }

  private static void register(ScriptedCluster c, String name) {
    JoinToken t =
        c.admin.post("/admin/join-tokens", new JoinToken.Create("1h", null), JoinToken.class);
    List<GpuInfo> gpus =
        List.of(
            new GpuInfo(0, "GPU-a", "H100", 81559, null),
            new GpuInfo(1, "GPU-b", "H100", 81559, null));
    NodeFacts facts =
        new NodeFacts(name, "Linux", "amd64", "cpu", 8, 64L << 30, List.of(), gpus, null);
    OceanClient.forUser(c.server.url(), null)
        .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
        .post(
            "/agent/register",
            new Registration(t.token(), name, Version.VERSION, Version.AGENT_PROTOCOL, facts),
            Registration.Accepted.class);
  }
}
