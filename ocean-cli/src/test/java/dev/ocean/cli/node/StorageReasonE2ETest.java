package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.daemon.Joiner;
import dev.ocean.agent.daemon.StorageReach;
import dev.ocean.agent.facts.NodeFingerprint;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.common.files.StorageMarker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose {@code --run-as} account loses its way into {@code --storage} says exactly why in
 * {@code ocean node list}'s REASON, not the generic "no volume storage" (qa6 H4).
 */
class StorageReasonE2ETest {
  private static final Map<String, String> ENV = Agents.env("rtx4090");

  @TempDir Path dir;
  private TestCluster cluster;

  @BeforeEach
  void start() throws IOException {
    cluster = new TestCluster(dir);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private Node node(String name) {
    return cluster.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void theRunAsAccountsWayIntoTheStorageIsNamedAsTheNodesReason() throws Exception {
    chmod(dir, "rwxr-xr-x"); // JUnit makes it 0700; the test's own parents must be passable
    Path parent = Files.createDirectories(dir.resolve("data"));
    Path storage = Files.createDirectories(parent.resolve("storage"));
    StorageMarker.ensure(storage);
    Path state = dir.resolve("box");
    AgentConfig config =
        Joiner.join(
            new Joiner.Request(
                cluster.url(),
                cluster.joinToken("1h"),
                "box",
                "process",
                null,
                storage.toString(),
                1,
                null,
                null,
                "nobody",
                null,
                null),
            state,
            NodeFingerprint.ofThisMachine(ENV));
    var report = StorageReach.watch("process", "nobody", storage);
    RuntimeInfo health = new RuntimeInfo(RuntimeInfo.PROCESS, null, RuntimeInfo.HANDOFF_ENV, null);
    try (AgentDaemon daemon =
        new AgentDaemon(
                config,
                state,
                NodeFingerprint.ofThisMachine(ENV),
                () -> report.apply(health),
                () -> {})
            .start()) {
      assertNull(node("box").unschedulable());

      chmod(parent, "rwx------");
      String why = "run-as nobody cannot enter --storage " + storage + ": " + parent + " is 0700";
      Poll.check(
          Duration.ofSeconds(20),
          "the heartbeat carries why the storage is out of reach",
          () -> Objects.toString(node("box").unschedulable(), "").contains(why));
      assertEquals(
          "no volume storage: " + why + "; jobs with a volume go elsewhere",
          node("box").unschedulable());
      String list = cluster.admin("node", "list").ok().out();
      assertTrue(list.contains("REASON") && list.contains(why), list);

      chmod(parent, "rwx--x--x"); // the admin fixed it: the reason goes away
      Poll.check(
          Duration.ofSeconds(20),
          "the reason clears at the next heartbeat",
          () -> node("box").unschedulable() == null);
    }
  }

  private static void chmod(Path p, String mode) throws IOException {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
  }
}
