package dev.ocean.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.Version;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a server restart a node's LAST SEEN is its agent's last heartbeat, not the server's start,
 * and until its agent answers the node says it was not heard from since (qa11 T3: a dead node read
 * "ready, last seen 1s ago").
 */
class LastSeenAfterRestartTest {
  @TempDir Path dir;

  private OceanServer start() throws Exception {
    return OceanServer.start(
        new ServerConfig(dir.resolve("data"))
            .port(0)
            .host("127.0.0.1")
            .bcryptCost(4)
            .storageDir(dir.resolve("storage"))
            .adminEmail("admin@example.com")
            .adminPassword("Admin123!x"),
        new PrintStream(PrintStream.nullOutputStream()));
  }

  private static OceanClient admin(OceanServer server) {
    String token =
        OceanClient.forUser(server.url(), null)
            .post("/auth/login", new Credentials("admin@example.com", "Admin123!x"), Session.class)
            .token();
    return OceanClient.forUser(server.url(), token);
  }

  private static Node n1(OceanClient admin) {
    return admin.get("/nodes", new TypeReference<List<Node>>() {}).getFirst();
  }

  @Test
  void aNodeKeepsItsRealLastSeenThroughARestartAndSaysItWasNotHeardSince() throws Exception {
    String credential;
    Instant heard;
    try (OceanServer first = start()) {
      OceanClient admin = admin(first);
      JoinToken t =
          admin.post("/admin/join-tokens", new JoinToken.Create("1h", null), JoinToken.class);
      NodeFacts facts =
          new NodeFacts("n1", "Linux", "amd64", "cpu", 4, 8L << 30, List.of(), List.of(), null);
      credential =
          OceanClient.forUser(first.url(), null)
              .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
              .post(
                  "/agent/register",
                  new Registration(t.token(), "n1", Version.VERSION, Version.AGENT_PROTOCOL, facts),
                  Registration.Accepted.class)
              .credential();
      heard = n1(admin).lastSeenAt();
    }
    Thread.sleep(1_100); // a restart takes a moment; the clock shows whether it moved LAST SEEN

    try (OceanServer second = start()) {
      OceanClient admin = admin(second);
      Node before = n1(admin);
      assertEquals("ready", before.state(), "a restart marks nobody lost");
      assertEquals(heard, before.lastSeenAt(), "its last heartbeat, not the server's start");
      assertTrue(
          before.unschedulable().startsWith("not heard from since the server restarted at "),
          before.unschedulable());

      OceanClient node =
          OceanClient.withAuthorization(second.url(), "Bearer " + credential)
              .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL));
      node.get("/agent/work?wait=0", Work.class); // its agent answers

      Node after = n1(admin);
      assertNull(after.unschedulable(), "heard again: nothing to say");
      waitUntil(() -> n1(admin).lastSeenAt().isAfter(heard)); // written at the next lost check
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(20);
    }
  }
}
