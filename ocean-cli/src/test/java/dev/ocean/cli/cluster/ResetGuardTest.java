package dev.ocean.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.cli.base.CliException;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean up --reset} refuses while an instance runs, as it does for jobs: its container would
 * outlive the cluster's data, still holding its ports, with nothing left to stop it (qa11 T2).
 */
class ResetGuardTest {
  private static final String HOST_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIak9hwix0Q3gjIcYOPFNMwveKiYTJo2Tu05rBscIB6z root@dev";

  @TempDir Path dir;

  @Test
  void resetIsRefusedWhileAnInstanceRunsAndNamesHowToDeleteIt() throws Exception {
    try (ScriptedCluster c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      c.admin.post(
          "/instances", new Instance.Create("box", "g1", "busybox", null, "dev"), Instance.class);
      c.server.scheduler().pass();
      Assignment a = c.poll().start().getFirst();
      c.node.post(
          "/agent/runs/" + a.runId() + "/status",
          new RunReport(
              "running",
              null,
              null,
              "/home/linuxbrew",
              new InstanceEndpoints("127.0.0.1", 30022, 30080, HOST_KEY, true, true)),
          LogAck.class);

      CliException e =
          assertThrows(
              CliException.class, () -> ResetGuard.refuse(new TreeSet<>(), Optional.of(c.admin)));

      assertEquals(5, e.exitCode());
      assertEquals(
          "instance box of admin@example.com is still running on this cluster, and --reset would"
              + " leave its container running with nothing to stop it; `ocean instance delete box"
              + " --user admin@example.com` first, then `ocean up --reset`",
          e.getMessage());

      // `ocean down` on the docker runtime names it, as it names process runs (it stays up)
      assertEquals(
          "instance box of admin@example.com keeps running in its container; the next `ocean up`"
              + " picks it up.",
          ContainerWork.keepsRunning(ContainerWork.of(c.admin)));

      c.admin.delete("/instances/box");
      ResetGuard.refuse(new TreeSet<>(), Optional.of(c.admin)); // nothing runs: goes ahead
    }
  }
}
