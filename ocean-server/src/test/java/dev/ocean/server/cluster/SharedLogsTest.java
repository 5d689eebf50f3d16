package dev.ocean.server.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.server.error.Conflict;
import dev.ocean.server.job.Signals;
import dev.ocean.server.logs.LogStore;
import dev.ocean.server.store.Database;
import dev.ocean.server.store.PostgresFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Two servers on one PostgreSQL share run logs: what an agent ships to one is read, byte for byte,
 * from the other, retried chunks are stored once, and a follower waiting on the other server wakes
 * when a chunk arrives, without waiting for its timeout.
 */
class SharedLogsTest {
  @TempDir Path dir;
  private Database dbA;
  private Database dbB;
  private Cluster clusterA;
  private Cluster clusterB;
  private final Signals signalsA = new Signals();
  private final Signals signalsB = new Signals();
  private final AtomicInteger kicksOnB = new AtomicInteger();
  private LogStore logsA;
  private LogStore logsB;

  private String url;

  private static final String WATCHED = LogStore.key(99, 0);
  private long watchedAtStart;

  @BeforeEach
  void start() {
    url = PostgresFixture.shared().createDatabase("shared_logs");
    dbA = Database.open(url);
    dbB = Database.open(url);
    clusterA = Cluster.on(dbA, null);
    clusterB = Cluster.on(dbB, null);
    watchedAtStart = signalsB.version(WATCHED); // a follower on B from before B listens
    clusterA.start(signalsA, () -> {});
    clusterB.start(signalsB, kicksOnB::incrementAndGet);
    logsA = LogStore.inDatabase(dir.resolve("a"), signalsA, dbA.jdbi());
    logsB = LogStore.inDatabase(dir.resolve("b"), signalsB, dbB.jdbi());
  }

  @AfterEach
  void stop() {
    clusterA.close();
    clusterB.close();
    dbA.close();
    dbB.close();
  }

  /**
   * Waits until B listens: once it does, it wakes every waiter (what was sent before is lost), and
   * from then on what A sends reaches B.
   */
  private void awaitBListens() throws InterruptedException {
    signalsB.await(WATCHED, watchedAtStart, 60_000);
    assertTrue(
        signalsB.version(WATCHED) != watchedAtStart, "server B listens and woke its waiters");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void chunksStoredOnOneServerAreReadOnTheOtherExactlyOnce() {
    assertEquals(0, logsB.size(7, 0));
    assertEquals(6, logsA.append(7, 0, 0, bytes("hello\n")));
    assertEquals(6, logsB.append(7, 0, 0, bytes("hello\n")), "a retried chunk adds nothing");
    assertEquals(12, logsB.append(7, 0, 3, bytes("lo\nworld\n")), "only the new bytes are kept");
    Conflict gap = assertThrows(Conflict.class, () -> logsA.append(7, 0, 20, bytes("x")));
    assertTrue(gap.getMessage().contains("starts at byte 20"), gap.getMessage());

    assertEquals("hello\nworld\n", new String(logsA.read(7, 0, 0, 1000), StandardCharsets.UTF_8));
    assertEquals("llo\nwo", new String(logsB.read(7, 0, 2, 6), StandardCharsets.UTF_8));
    assertEquals(6, logsB.tailOffset(7, 0, 1), "the last line starts at byte 6");
    assertArrayEquals(new byte[0], logsB.read(7, 0, 12, 1000));
    assertEquals(0, logsB.size(7, 1), "another run's log is its own");

    logsA.rotate(7, 0, 1);
    assertEquals(0, logsB.size(7, 0), "the next attempt starts an empty log");
    assertEquals(3, logsB.append(7, 0, 0, bytes("new")));
  }

  @Test
  void aFollowerOnTheOtherServerWakesWhenAChunkArrives() throws Exception {
    awaitBListens();
    String key = LogStore.key(8, 0);
    long seen = signalsB.version(key);
    long[] wokeAfter = new long[1];
    Thread follower =
        Thread.ofVirtual()
            .start(
                () -> {
                  long t0 = System.nanoTime();
                  try {
                    signalsB.await(key, seen, 30_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  wokeAfter[0] = System.nanoTime() - t0;
                });
    logsA.append(8, 0, 0, bytes("line\n"));
    follower.join(30_000);

    assertTrue(
        wokeAfter[0] > 0 && wokeAfter[0] < 5_000_000_000L,
        "the follower woke " + wokeAfter[0] / 1_000_000 + " ms after the append, not at 30 s");
    assertEquals("line\n", new String(logsB.read(8, 0, 0, 100), StandardCharsets.UTF_8));
  }

  @Test
  void aSubmissionOnOneServerAsksTheOthersForASchedulingPass() throws Exception {
    // a kick sent before B listens is lost by design (B runs a pass once it listens anyway)
    awaitBListens();
    int before = kicksOnB.get();
    clusterA.kickEverywhere(() -> {});
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (kicksOnB.get() == before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(kicksOnB.get() > before, "the other server was asked for a pass");
  }

  @Test
  void afterALostNotificationConnectionWaitersWakeAndWakeUpsFlowAgain() throws Exception {
    awaitBListens();
    String key = WATCHED;
    long seen = signalsB.version(key);
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                    + PostgresBus.LISTENER_NAME
                    + "' AND datname = current_database()")) {
      assertTrue(rs.next(), "the listening sessions were found and ended");
    }
    long t0 = System.nanoTime();
    signalsB.await(key, seen, 120_000);
    assertTrue(
        System.nanoTime() - t0 < 60_000_000_000L,
        "a waiter wakes when wake-ups may have been missed, not at its timeout");

    long deadline = System.nanoTime() + 10_000_000_000L;
    boolean woke = false;
    for (long offset = 0; !woke && System.nanoTime() < deadline; offset++) {
      long before = signalsB.version(key);
      logsA.append(99, 0, offset, bytes("x"));
      signalsB.await(key, before, 500);
      woke = signalsB.version(key) != before;
    }
    assertTrue(woke, "appends on one server wake the other again once it reconnected");
  }

  @Test
  void aWaiterFromBeforeTheServerListenedWakesOnceItListens() throws Exception {
    Signals signalsC = new Signals();
    String key = LogStore.key(10, 0);
    long seen = signalsC.version(key);
    try (Database dbC = Database.open(url);
        Connection watch = DriverManager.getConnection(url)) {
      try (Statement s = watch.createStatement()) {
        s.execute("LISTEN " + PostgresBus.CHANNEL);
      }
      // the chunk's wake-up goes out before server C listens, so C never hears it
      logsA.append(10, 0, 0, bytes("early\n"));
      PGConnection pg = watch.unwrap(PGConnection.class);
      long deadline = System.nanoTime() + 30_000_000_000L;
      boolean sent = false;
      while (!sent && System.nanoTime() < deadline) {
        PGNotification[] got = pg.getNotifications(500);
        for (PGNotification n : got == null ? new PGNotification[0] : got) {
          sent |= n.getParameter().contains(key);
        }
      }
      assertTrue(sent, "server A announced the chunk");

      Cluster clusterC = Cluster.on(dbC, null);
      try {
        clusterC.start(signalsC, () -> {});
        long t0 = System.nanoTime();
        signalsC.await(key, seen, 60_000);
        assertTrue(
            System.nanoTime() - t0 < 30_000_000_000L,
            "a follower that began waiting before its server listened wakes once it listens");
      } finally {
        clusterC.close();
      }
    }
  }
}
