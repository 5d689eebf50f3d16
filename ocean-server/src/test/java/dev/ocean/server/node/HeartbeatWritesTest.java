package dev.ocean.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.server.store.Database;
import dev.ocean.server.user.Principal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The usual heartbeat of a live node keeps its time in memory ({@link LastSeen}) instead of
 * committing it, with the same lost-node semantics: on a real SQLite file, with a clock the test
 * moves, and two services on one database standing for two servers of a cluster.
 */
class HeartbeatWritesTest {
  private static final NodeFacts FACTS =
      new NodeFacts("box.lab", "Linux", "amd64", "EPYC", 64, 1L << 38, List.of(), List.of(), null);

  @TempDir Path dir;
  private final NodeServiceTest.TestClock clock = new NodeServiceTest.TestClock();
  private Database db;
  private NodeFixture fx;
  private NodeService nodes;
  private Principal admin;

  @BeforeEach
  void open() {
    fx = new NodeFixture(dir, clock);
    db = fx.db;
    admin = fx.admin;
    nodes = service();
  }

  private NodeService service() {
    return fx.service();
  }

  @AfterEach
  void close() {
    db.close();
  }

  /** Each node's credential, by name: every beat is authenticated anew, as each request is. */
  private final java.util.Map<String, String> credentials = new java.util.HashMap<>();

  private NodeRef join(String name) {
    Registration.Accepted a = fx.register(nodes, name, "1h", FACTS);
    credentials.put(name, a.credential());
    return nodes.authenticate(a.credential()).orElseThrow();
  }

  private Heartbeat.Ack beat(NodeService at, NodeRef node) {
    NodeRef now = at.authenticate(credentials.get(node.name())).orElseThrow();
    return at.heartbeat(now, new Heartbeat(null, null, List.of()));
  }

  @Test
  void liveNodesHeartbeatIsAnsweredWhileAnotherWriteHoldsTheDatabase() throws Exception {
    NodeRef box = join("box");
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    db.jdbi()
                        .useTransaction(
                            h -> {
                              h.execute("UPDATE nodes SET agent_version = agent_version");
                              holding.countDown();
                              release.await();
                            });
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    try {
      assertTrue(holding.await(30, TimeUnit.SECONDS));
      CompletableFuture<Heartbeat.Ack> ack = CompletableFuture.supplyAsync(() -> beat(nodes, box));
      // before, the heartbeat queued for the write lock until the other write finished
      assertEquals("ready", ack.get(20, TimeUnit.SECONDS).state());
    } finally {
      release.countDown();
      writer.join();
    }
  }

  @Test
  void nodeHeardOnlyInMemoryIsNotLostAndItsTimeIsWrittenAtTheCheck() {
    NodeRef box = join("box");
    clock.advance(Duration.ofSeconds(2));
    beat(nodes, box);
    long heard = clock.millis();
    clock.advance(Duration.ofSeconds(2)); // 4 s after the join, 2 s after the heartbeat
    assertEquals(List.of(), nodes.markLost());
    assertEquals(heard, storedLastSeen("box"), "the check wrote the time it heard");
    assertEquals(-1, nodes.unwrittenLastSeen(box.id()));
    clock.advance(Duration.ofSeconds(2));
    assertEquals(List.of("box"), nodes.markLost(), "silent 4 s since its heartbeat");
    assertEquals("ready", beat(nodes, box).state(), "back at its next heartbeat");
  }

  @Test
  void nodeHeardWhileTheChecksFlushWaitsForTheDatabaseIsNotLost() throws Exception {
    NodeRef box = join("box");
    clock.advance(Duration.ofSeconds(1));
    beat(nodes, box); // in memory; the check below writes it
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    db.jdbi()
                        .useTransaction(
                            h -> {
                              h.execute("UPDATE nodes SET agent_version = agent_version");
                              holding.countDown();
                              release.await();
                            });
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    try {
      assertTrue(holding.await(30, TimeUnit.SECONDS));
      CompletableFuture<List<String>> lost = new CompletableFuture<>();
      Thread check =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      lost.complete(nodes.markLost());
                    } catch (RuntimeException e) {
                      lost.completeExceptionally(e);
                    }
                  });
      waitUntil(() -> check.getState() == Thread.State.WAITING); // its flush waits for the lock
      clock.advance(Duration.ofSeconds(4)); // past the 3 s lost timeout since the first beat
      beat(nodes, box); // heard while the check waits
      release.countDown();
      assertEquals(List.of(), lost.get(30, TimeUnit.SECONDS), "it heartbeated a moment ago");
      assertEquals("ready", beat(nodes, box).state());
    } finally {
      release.countDown();
      writer.join();
    }
  }

  @Test
  void nodesAreNotBlamedForTheSilenceOfAServerThatWasPaused() throws Exception {
    NodeRef box = join("box");
    assertEquals(List.of(), nodes.markLost());
    Thread.sleep(2_100); // the server's checks do not run (a long pause of its JVM or machine)
    clock.advance(Duration.ofSeconds(4)); // and no heartbeat was heard meanwhile
    assertEquals(List.of(), nodes.markLost(), "silent only while the server was paused");
    clock.advance(Duration.ofSeconds(2));
    assertEquals(List.of(), nodes.markLost(), "its lost timeout starts again after the pause");
    clock.advance(Duration.ofSeconds(2));
    assertEquals(List.of("box"), nodes.markLost(), "silent 4 s since the server ran again");
    assertEquals("ready", beat(nodes, box).state());
  }

  @Test
  void nodeWhoseAgentPollsIsNotLostWhileItsHeartbeatIsLate() {
    Registration.Accepted a = fx.register(nodes, "box", "1h", FACTS);
    clock.advance(Duration.ofSeconds(2));
    nodes.authenticate(a.credential()); // its agent's work poll
    clock.advance(Duration.ofSeconds(2)); // 4 s after the join, no heartbeat
    assertEquals(List.of(), nodes.markLost(), "it polled 2 s ago");
    clock.advance(Duration.ofSeconds(2));
    assertEquals(List.of("box"), nodes.markLost(), "nothing heard for 4 s");
  }

  private static void waitUntil(java.util.function.BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(5);
    }
  }

  @Test
  void nodeHeartbeatingToAnotherServerIsNotLostOnceThatServerFlushed() {
    NodeRef box = join("box");
    NodeService other = service(); // a second server on the same database
    clock.advance(Duration.ofSeconds(2));
    beat(other, box);
    other.flushLastSeen();
    clock.advance(Duration.ofSeconds(2));
    assertEquals(List.of(), nodes.markLost(), "heard 2 s ago at the other server");
  }

  @Test
  void storedTimeNeverMovesBack() {
    NodeRef box = join("box");
    NodeService other = service();
    clock.advance(Duration.ofSeconds(1));
    beat(nodes, box);
    clock.advance(Duration.ofSeconds(1));
    beat(other, box);
    other.flushLastSeen();
    nodes.flushLastSeen(); // holds the older time
    assertEquals(clock.millis(), storedLastSeen("box"));
  }

  @Test
  void rotationRequestedByTheAdminReachesTheNextHeartbeat() {
    NodeRef box = join("box");
    assertNull(beat(nodes, box).credential());
    nodes.change(admin, "box", "rotate", false);
    String fresh = beat(nodes, box).credential();
    assertNotNull(fresh, "the new credential comes with the next heartbeat");
    assertEquals("box", nodes.authenticate(fresh).orElseThrow().name());
  }

  private long storedLastSeen(String name) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT last_seen_at FROM nodes WHERE name = ?")
                    .bind(0, name)
                    .mapTo(Long.class)
                    .one());
  }
}
