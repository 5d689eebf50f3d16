package dev.ocean.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import dev.ocean.server.durability.ScriptedCluster;
import dev.ocean.server.store.PostgresFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers sharing one PostgreSQL elect one leader; when the leader's database session ends (its
 * process died, or the database dropped it) it stops leading at once and another server leads
 * within 10 s. A second server on one SQLite file is refused.
 */
class LeaderElectionTest {
  @TempDir Path dir;

  private OceanServer server(String url, String name) throws Exception {
    return OceanServer.start(
        new ServerConfig(dir.resolve(name)).host("127.0.0.1").port(0).bcryptCost(4).dbUrl(url),
        new PrintStream(new ByteArrayOutputStream()));
  }

  @Test
  void anotherServerLeadsWithinTenSecondsOfTheLeadersSessionEnding() throws Exception {
    String url = PostgresFixture.shared().createDatabase("leader_election");
    try (OceanServer first = server(url, "a");
        OceanServer second = server(url, "b")) {
      assertTrue(first.leads(), "the first server up leads");
      assertFalse(second.leads(), "only one server leads");

      terminateLeaderSession(url);
      first.scheduler().pass(); // a pass checks the session first
      assertFalse(first.leads(), "the old leader stops leading as soon as it checks its session");
      long lost = System.nanoTime();
      awaitTrue(Duration.ofSeconds(10), second::leads);
      assertTrue(
          System.nanoTime() - lost < Duration.ofSeconds(10).toNanos(), "taken over within 10 s");
      Thread.sleep(PostgresLeadership.RETRY.toMillis() + 500);
      assertFalse(first.leads(), "the old leader does not take the lock back while one leads");
    }
  }

  @Test
  void whenTheLeaderStopsTheOtherServerLeads() throws Exception {
    String url = PostgresFixture.shared().createDatabase("leader_stops");
    OceanServer first = server(url, "a");
    try (OceanServer second = server(url, "b")) {
      assertTrue(first.leads());
      first.close();
      awaitTrue(Duration.ofSeconds(10), second::leads);
    }
  }

  @Test
  void aServerThatDoesNotLeadSaysWhyARunWaitsAsTheLeaderDoes() throws Exception {
    String url = PostgresFixture.shared().createDatabase("follower_waits");
    try (ScriptedCluster leader = ScriptedCluster.start(dir.resolve("a"), c -> c.dbUrl(url))) {
      leader.admin.post("/admin/nodes/n1/drain", null, Void.class);
      long id = leader.submit("waits").id();
      awaitTrue(
          Duration.ofSeconds(10),
          () -> leader.admin.get("/jobs/" + id, Job.class).runs().getFirst().waitReason() != null);
      Run atLeader = leader.admin.get("/jobs/" + id, Job.class).runs().getFirst();
      assertEquals("pending", atLeader.state());
      try (OceanServer follower =
          ScriptedCluster.startServer(dir.resolve("b"), c -> c.dbUrl(url))) {
        assertFalse(follower.leads());
        OceanClient there = ScriptedCluster.login(follower.url());
        awaitTrue(
            Duration.ofSeconds(10),
            () ->
                atLeader
                    .waitReason()
                    .equals(there.get("/jobs/" + id, Job.class).runs().getFirst().waitReason()));
        assertEquals(
            atLeader.queuePosition(),
            there.get("/jobs/" + id, Job.class).runs().getFirst().queuePosition());
        assertEquals("pending", leader.admin.get("/jobs/" + id, Job.class).state());
      }
    }
  }

  @Test
  void aSecondServerOnOneSqliteFileIsRefused() throws Exception {
    try (OceanServer first =
        OceanServer.start(
            new ServerConfig(dir.resolve("data")).host("127.0.0.1").port(0).bcryptCost(4),
            new PrintStream(new ByteArrayOutputStream()))) {
      assertTrue(first.leads());
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  OceanServer.start(
                      new ServerConfig(dir.resolve("data")).host("127.0.0.1").port(0).bcryptCost(4),
                      new PrintStream(new ByteArrayOutputStream())));
      assertTrue(e.getMessage().contains("another ocean-server already uses"), e.getMessage());
    }
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      assertThrows(
          RuntimeException.class,
          () ->
              OceanServer.start(
                  new ServerConfig(dir.resolve("data"))
                      .host("127.0.0.1")
                      .port(taken.getLocalPort())
                      .bcryptCost(4),
                  new PrintStream(new ByteArrayOutputStream())),
          "the port is taken");
    }
    try (OceanServer again =
        OceanServer.start(
            new ServerConfig(dir.resolve("data")).host("127.0.0.1").port(0).bcryptCost(4),
            new PrintStream(new ByteArrayOutputStream()))) {
      assertTrue(again.leads(), "the file is free again once its server stopped or failed");
    }
  }

  /**
   * Ends the session holding the leader's advisory lock, as a dead process or the database would.
   */
  private static void terminateLeaderSession(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND"
                    + " granted AND ((classid::bigint << 32) | objid::bigint) = "
                    + PostgresLeadership.LEADER_KEY)) {
      assertTrue(rs.next(), "one session holds the leader's lock");
      assertTrue(rs.getBoolean(1));
      assertFalse(rs.next(), "exactly one");
    }
  }

  private static void awaitTrue(Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        assertEquals(true, condition.getAsBoolean(), "not true within " + timeout);
      }
      Thread.sleep(50);
    }
  }
}
