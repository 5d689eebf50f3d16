package dev.ocean.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server or agent killed but not yet reaped (a zombie, as under a PID 1 that reaps late) is not
 * running: {@code ocean up} starts it again instead of calling it (qa7 K8) or calling the cluster
 * already up without its agent (qa7 K1).
 */
class LivenessTest {
  @TempDir Path dir;

  @Test
  void aZombieNamedByThePidFileIsNotRunning() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(Path.of("/proc/self/stat")), "Linux /proc");
    // sh starts `sleep 0.1` and becomes `sleep 30`, which never reaps it: a zombie until then
    Process parent = new ProcessBuilder("sh", "-c", "sleep 0.1 & exec sleep 30").start();
    try {
      ProcessHandle zombie = awaitZombieChild(parent);
      assertTrue(zombie.isAlive(), "the JDK still counts a zombie as alive");
      assertFalse(Liveness.running(zombie));

      LocalCluster cluster = new LocalCluster(dir.resolve("ocean"));
      Files.createDirectories(cluster.data());
      Files.writeString(cluster.data().resolve("ocean-agent.pid"), zombie.pid() + "\n");
      assertEquals(Optional.empty(), cluster.running(LocalCluster.Program.AGENT));
    } finally {
      parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void stoppingAProcessThatIsLeftAZombieEndsWithoutAnError() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(Path.of("/proc/self/stat")), "Linux /proc");
    // `ocean down` under a PID 1 that reaps late: the stopped agent stays a zombie a while
    Process parent = new ProcessBuilder("sh", "-c", "sleep 30 & exec sleep 60").start();
    try {
      ProcessHandle child = awaitChild(parent);
      DetachedProcess.stop(child, "ocean-agent"); // threw "did not stop" after 40 s before
      assertFalse(Liveness.running(child));
    } finally {
      parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aLiveProcessIsRunning() throws Exception {
    Process p = new ProcessBuilder("sleep", "30").start();
    try {
      assertTrue(Liveness.running(p.toHandle()));
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertFalse(Liveness.running(p.toHandle()));
  }

  @Test
  void theStateIsReadAfterTheCommandNameEvenWithParenthesesInIt() {
    assertFalse(Liveness.running("4242 (ocean (x) y) Z 1 4242 4242 0 -1"));
    assertTrue(Liveness.running("4242 (ocean (x) Z) S 1 4242 4242 0 -1"));
  }

  private static ProcessHandle awaitChild(Process parent) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      Optional<ProcessHandle> child = parent.toHandle().children().findFirst();
      if (child.isPresent()) {
        return child.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no child of " + parent.pid());
  }

  private static ProcessHandle awaitZombieChild(Process parent) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      Optional<ProcessHandle> child = parent.toHandle().children().findFirst();
      if (child.isPresent()) {
        Path stat = Path.of("/proc/" + child.get().pid() + "/stat");
        String s = Files.isRegularFile(stat) ? Files.readString(stat) : "";
        if (s.contains(") Z ")) {
          return child.get();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no zombie child of " + parent.pid());
  }
}
