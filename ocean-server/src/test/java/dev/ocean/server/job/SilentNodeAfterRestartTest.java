package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ocean.common.Version;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose agent died while the server was down keeps its state through the restart (nobody is
 * marked lost by a restart), but gets no new work until its agent is heard from again: a run placed
 * there would only wait to fail "node lost".
 */
class SilentNodeAfterRestartTest {
  @TempDir Path dir;

  private OceanServer start() throws Exception {
    ServerConfig config =
        new ServerConfig(dir.resolve("data"))
            .port(0)
            .host("127.0.0.1")
            .bcryptCost(4)
            .storageDir(dir.resolve("storage"))
            .adminEmail("admin@example.com")
            .adminPassword("Admin123!x");
    return OceanServer.start(config, new PrintStream(PrintStream.nullOutputStream()));
  }

  private static OceanClient admin(OceanServer server) {
    String token =
        OceanClient.forUser(server.url(), null)
            .post("/auth/login", new Credentials("admin@example.com", "Admin123!x"), Session.class)
            .token();
    return OceanClient.forUser(server.url(), token);
  }

  @Test
  void aNodeNotHeardFromSinceTheRestartGetsNoWorkUntilItsAgentAnswers() throws Exception {
    String credential;
    try (OceanServer first = start()) {
      OceanClient admin = admin(first);
      admin.post(
          "/machine-types",
          new MachineType.Create("c1", 1, 1, 0, null, null, null),
          MachineType.class);
      admin.post("/images", new Image.Create("host", "local/host", null, null), Image.class);
      admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "c1", 2, 1), Quota.class);
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
    }

    try (OceanServer second = start()) {
      OceanClient admin = admin(second);
      Job job =
          admin.post(
              "/jobs",
              new Job.Submit("j", "c1", "host", null, List.of("true"), Map.of(), 1, 1, null, null),
              Job.class);
      Run waiting = awaitWaitReason(admin, job.id());
      assertEquals("pending", waiting.state(), "nothing is placed on a node not heard from");
      assertNull(waiting.node());

      OceanClient node =
          OceanClient.withAuthorization(second.url(), "Bearer " + credential)
              .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL));
      Work work = node.get("/agent/work?wait=10", Work.class);
      assertEquals(1, work.start().size(), "once its agent answers, the node gets the run");
      Run placed = admin.get("/jobs/" + job.id(), Job.class).runs().getFirst();
      assertEquals("n1", placed.node());
      assertNull(placed.startedAt(), "assigned, not started");
    }
  }

  /** The run once the scheduler has looked at it and said why it waits. */
  private static Run awaitWaitReason(OceanClient admin, long jobId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      Run r = admin.get("/jobs/" + jobId, Job.class).runs().getFirst();
      if (r.waitReason() != null || !r.state().equals("pending")) {
        assertNotNull(r.waitReason(), "the run waits with a reason: " + r);
        return r;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the scheduler never said why run 0 waits: " + r);
      }
      Thread.sleep(50);
    }
  }
}
