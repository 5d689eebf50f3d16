package dev.ocean.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.Version;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.durability.ScriptedCluster;
import dev.ocean.server.store.PostgresFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job submitted on a server that does not lead is placed by the leader, and the agent whose long
 * poll waits on the first server gets it at once, not when its poll times out.
 */
class CrossServerWakeTest {
  private static final int POLL_SECONDS = 30;

  @TempDir Path dir;

  @Test
  void aJobSubmittedOnTheFollowerReachesAnAgentPollingThere() throws Exception {
    String url = PostgresFixture.shared().createDatabase("cross_server_wake");
    try (ScriptedCluster leader = ScriptedCluster.start(dir.resolve("a"), c -> c.dbUrl(url));
        OceanServer follower = ScriptedCluster.startServer(dir.resolve("b"), c -> c.dbUrl(url))) {
      assertTrue(leader.server.leads());
      assertFalse(follower.leads());
      OceanClient agentThere =
          ScriptedCluster.agentClient(follower.url(), leader.credential)
              .withReadTimeout(Duration.ofSeconds(POLL_SECONDS + 10));
      OceanClient userThere = ScriptedCluster.login(follower.url());
      assertEquals(List.of(), agentThere.get("/agent/work?wait=0", Work.class).start());

      long t0 = System.nanoTime();
      Thread submitter =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      Thread.sleep(500); // the poll below is waiting by then
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    userThere.post(
                        "/jobs",
                        new Job.Submit(
                            "wake",
                            "cpu1",
                            "host",
                            null,
                            List.of("true"),
                            Map.of(),
                            1,
                            1,
                            "t",
                            null),
                        Job.class);
                  });
      Work work = agentThere.get("/agent/work?wait=" + POLL_SECONDS, Work.class);
      long waited = System.nanoTime() - t0;
      submitter.join();

      assertEquals(1, work.start().size(), work::toString);
      assertTrue(
          waited < Duration.ofSeconds(POLL_SECONDS / 2).toNanos(),
          "the poll on the follower returned after "
              + waited / 1_000_000
              + " ms, woken by the leader's placement, not at its "
              + POLL_SECONDS
              + " s timeout");
    }
  }

  @Test
  void theLeaderPlacesOnANodeWhoseAgentOnlyTalksToAnotherServer() throws Exception {
    String url = PostgresFixture.shared().createDatabase("heard_elsewhere");
    try (ScriptedCluster leader = ScriptedCluster.start(dir.resolve("a"), c -> c.dbUrl(url));
        OceanServer follower = ScriptedCluster.startServer(dir.resolve("b"), c -> c.dbUrl(url))) {
      leader.admin.post("/admin/nodes/n1/drain", null, Void.class);
      JoinToken t =
          leader.admin.post("/admin/join-tokens", new JoinToken.Create("1h", 1), JoinToken.class);
      NodeFacts facts =
          new NodeFacts("n2", "Linux", "amd64", "cpu", 8, 8L << 30, List.of(), List.of(), null);
      Registration.Accepted n2 =
          ScriptedCluster.agentClient(follower.url(), null)
              .post(
                  "/agent/register",
                  new Registration(t.token(), "n2", Version.VERSION, Version.AGENT_PROTOCOL, facts),
                  Registration.Accepted.class);
      OceanClient agentThere =
          ScriptedCluster.agentClient(follower.url(), n2.credential())
              .withReadTimeout(Duration.ofSeconds(POLL_SECONDS + 10));

      leader.submit("elsewhere");
      Work work = agentThere.get("/agent/work?wait=" + POLL_SECONDS, Work.class);

      assertEquals(1, work.start().size(), "placed on n2, heard of only by the follower");
    }
  }
}
