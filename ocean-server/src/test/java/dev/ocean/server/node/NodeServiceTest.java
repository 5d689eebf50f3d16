package dev.ocean.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.Version;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.server.error.DomainException;
import dev.ocean.server.http.ErrorMapper;
import dev.ocean.server.store.Database;
import dev.ocean.server.user.Principal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node lifecycle in {@link NodeService} on a real SQLite file, with a clock the test moves. */
class NodeServiceTest {
  private static final NodeFacts FACTS =
      new NodeFacts(
          "box.lab",
          "Linux",
          "amd64",
          "EPYC",
          64,
          1L << 38,
          List.of(),
          List.of(new GpuInfo(0, "GPU-1", "NVIDIA H100 80GB HBM3", 81559, null)),
          null);

  /** A clock that moves only when the test says so. */
  static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @TempDir Path dir;
  private final TestClock clock = new TestClock();
  private Database db;
  private NodeService nodes;
  private NodeFixture fx;
  private Principal admin;
  private final List<String> lostNames = new ArrayList<>();

  @BeforeEach
  void open() {
    fx = new NodeFixture(dir, clock);
    db = fx.db;
    admin = fx.admin;
    nodes = fx.service();
    nodes.onLost((n, why) -> lostNames.add(n));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private Registration.Accepted register(String name, String ttl) {
    return fx.register(nodes, name, ttl, FACTS);
  }

  /** Each node's credential, by name: every beat is authenticated anew, as each request is. */
  private final java.util.Map<String, String> credentials = new java.util.HashMap<>();

  private NodeRef ref(Registration.Accepted a) {
    credentials.put(a.nodeName(), a.credential());
    return nodes.authenticate(a.credential()).orElseThrow();
  }

  private String beat(NodeRef node) {
    NodeRef now = nodes.authenticate(credentials.get(node.name())).orElseThrow();
    return nodes.heartbeat(now, new Heartbeat(null, null, List.of())).state();
  }

  @Test
  void silentNodeIsLostOnlyAfterTheTimeoutAndComesBackOnItsNextHeartbeat() {
    NodeRef box = ref(register("box", "1h"));
    clock.advance(Duration.ofSeconds(3));
    assertEquals(List.of(), nodes.markLost(), "exactly the timeout is not yet lost");
    clock.advance(Duration.ofMillis(1));
    assertEquals(List.of("box"), nodes.markLost());
    assertEquals(List.of("box"), lostNames);
    assertEquals(List.of(), nodes.markLost(), "lost once, not again on every check");
    assertEquals("ready", beat(box));
  }

  @Test
  void nodeDrainedWhileLostComesBackDraining() {
    NodeRef box = ref(register("box", "1h"));
    clock.advance(Duration.ofSeconds(5));
    nodes.markLost();
    nodes.change(admin, "box", "drain", false);
    assertEquals("draining", beat(box));
    nodes.change(admin, "box", "undrain", false);
    assertEquals("ready", beat(box));
  }

  @Test
  void joinTokenExpiresByTheServerClock() {
    String token = nodes.tokens().create(admin, "1s").token();
    clock.advance(Duration.ofSeconds(1));
    DomainException e =
        assertThrows(
            DomainException.class,
            () ->
                nodes.register(
                    new Registration(
                        token, "box", Version.VERSION, Version.AGENT_PROTOCOL, FACTS)));
    assertEquals(401, ErrorMapper.status(e));
    assertEquals("expired", nodes.tokens().list().getFirst().state());
  }

  @Test
  void badTtlsAreRefusedNamingTheField() {
    for (String ttl : List.of("abc", "0s", "31d", "1w", "")) {
      DomainException e =
          assertThrows(DomainException.class, () -> nodes.tokens().create(admin, ttl));
      assertEquals(400, ErrorMapper.status(e), ttl);
      assertEquals("ttl", e.field(), ttl);
    }
  }

  @Test
  void removedNodeLosesItsCredentialButItsNameCanJoinAgain() {
    Registration.Accepted first = register("box", "1h");
    nodes.change(admin, "box", "remove", false);
    assertTrue(nodes.authenticate(first.credential()).isEmpty());
    assertEquals(List.of(), nodes.markLost(), "a removed node is never lost");
    Registration.Accepted again = register("box", "1h");
    assertEquals("ready", beat(ref(again)));
  }

  @Test
  void stateChangesGoThroughTheTableAndAStaleWriterLoses() {
    register("box", "1h");
    nodes.change(admin, "box", "remove", false);
    db.jdbi()
        .useHandle(
            h -> {
              assertThrows(
                  dev.ocean.server.error.Conflict.class,
                  () -> NodeLifecycle.move(h, "box", NodeState.DRAINING),
                  "removed -> draining is not in the table");
              assertFalse(NodeLifecycle.tryMove(h, "box", NodeState.LOST));
              assertEquals(NodeState.REMOVED, NodeLifecycle.state(h, "box").orElseThrow());
            });
  }

  @Test
  void takenNameIsAConflict() {
    register("box", "1h");
    DomainException e = assertThrows(DomainException.class, () -> register("box", "1h"));
    assertEquals(409, ErrorMapper.status(e));
  }
}
