package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.User;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disabling an account takes its work off the cluster: its queued runs never start, its running
 * ones are stopped on their node, its instances stop, and the admin is told (qa6 H15).
 */
class DisableWithdrawsWorkTest {
  @TempDir Path dir;
  TestCluster cluster;
  Ocean bob;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
    bob = cluster.user("bob@example.com");
    cluster.grant("bob@example.com", "g1.small", 2, 1);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void disablingCancelsTheOwnersJobsAndStopsItsInstances() {
    FakeAgent node = new FakeAgent(cluster, "gpu1");
    String id =
        bob.ocean(
                "job",
                "submit",
                "-q",
                "--name",
                "dis",
                "--machine-type",
                "g1.small",
                "--image",
                "pytorch",
                "--repeat",
                "3",
                "--",
                "sleep",
                "4")
            .ok()
            .out()
            .strip();
    Assignment first = node.next(); // the node's one GPU: runs 1 and 2 wait behind run 0
    node.running(first, null);
    bob.ocean("instance", "create", "box", "--machine-type", "g1.small", "--image", "pytorch").ok();

    Ocean admin = cluster.admin();
    Run disable = admin.ocean("admin", "user", "disable", "bob@example.com");
    assertEquals(
        "bob@example.com is now user, disabled; cancelled 1 job (3 runs) and stopped 1 instance.",
        disable.ok().err().strip());

    Job job = admin.ocean("job", "get", id, "-o", "json").json(Job.class);
    List<dev.ocean.common.api.job.Run> runs = job.runs();
    for (int i : new int[] {1, 2}) {
      assertEquals("cancelled", runs.get(i).state(), "queued run " + i + " never starts");
      assertEquals("owner disabled by an admin", runs.get(i).reason());
    }
    assertEquals(
        List.of(first.runId()), node.poll(5).stop(), "the node is told to stop the running run");
    Instance box =
        admin
            .ocean("instance", "get", "box", "--user", "bob@example.com", "-o", "json")
            .json(Instance.class);
    assertEquals("stopped", box.state());
    String audit = admin.ocean("admin", "audit").ok().out();
    assertTrue(audit.contains("job.cancel") && audit.contains("instance.stop"), audit);

    User.Changed again =
        admin
            .ocean("admin", "user", "activate", "bob@example.com", "-o", "json")
            .json(User.Changed.class);
    assertEquals("active", again.status());
    assertNull(again.withdrawn(), "activating restarts nothing");
    assertEquals(
        "stopped",
        admin
            .ocean("instance", "get", "box", "--user", "bob@example.com", "-o", "json")
            .json(Instance.class)
            .state());
  }

  @Test
  void disablingAnIdleAccountSaysThereWasNothingToStop() {
    User.Changed c =
        cluster
            .admin()
            .ocean("admin", "user", "disable", "bob@example.com", "-o", "json")
            .json(User.Changed.class);
    assertEquals(new User.Withdrawn(0, 0, 0), c.withdrawn());
    assertEquals("disabled", c.status());
  }
}
