package dev.ocean.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.docker.PodmanFixture;
import dev.ocean.dist.Exec.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean up} and {@code ocean down} over the built release, in a temporary home: the one-node
 * cluster runs a job, a second {@code up} finds it up, {@code down} leaves no process.
 */
class ClusterUpIT {
  private static final Path DIST = Path.of(System.getProperty("ocean.dist", "target/ocean"));

  @TempDir Path home;

  @AfterEach
  void down() {
    ocean("down");
    // whatever a failed test left running under this home must not outlive it
    processesUnderHome().forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void upRunsAJobAndDownStopsEverythingItStarted() {
    Result up = ocean("up", "--port", "0", "--runtime", "process");
    assertEquals(0, up.exit(), up.describe());
    assertTrue(up.stderr().contains("Ocean is up at http://127.0.0.1:"), up.describe());
    assertTrue(up.stderr().contains("Admin admin@localhost, password: "), up.describe());
    Path password = home.resolve("share/ocean/admin-password");
    assertTrue(up.stderr().contains(password.toString()), "says where the password is kept");
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        permissions(password));
    assertTrue(Files.isRegularFile(home.resolve("share/ocean/logs/ocean-server.log")));

    Result job =
        ocean(
            "job",
            "submit",
            "--name",
            "hello",
            "--machine-type",
            "cpu.small",
            "--image",
            "host",
            "--follow",
            "--",
            "sh",
            "-c",
            "echo hello from $OCEAN_JOB_ID");
    assertEquals(0, job.exit(), job.describe());
    assertTrue(job.stdout().contains("hello from 1"), job.describe());
    assertEquals(2, processesUnderHome().size(), "a server and an agent run");

    Result down = ocean("down");
    assertEquals(0, down.exit(), down.describe());
    assertTrue(down.stderr().contains("Stopped ocean-agent"), down.describe());
    assertTrue(down.stderr().contains("Stopped ocean-server"), down.describe());
    assertEquals(List.of(), processesUnderHome(), "no process left");
    assertTrue(Files.isRegularFile(password), "down keeps the data");
  }

  @Test
  void aSecondUpSaysTheClusterIsAlreadyUpAndUpAfterDownKeepsTheData() {
    Result first = ocean("up", "--port", "0", "--runtime", "process");
    assertEquals(0, first.exit(), first.describe());

    Result second = ocean("up");
    assertEquals(0, second.exit(), second.describe());
    assertTrue(second.stderr().contains("already up"), second.describe());
    assertTrue(!second.stderr().contains("password:"), "the password is printed once");
    assertTrue(!second.stderr().contains("still runs the release"), second.describe());
    // as after install.sh --up over an older install: the running programs are the old ones
    writeBuild("0123abcd");
    Result newer = ocean("up");
    assertTrue(
        newer.stderr().contains("still runs the release it was started from"), newer.describe());

    assertEquals(0, ocean("volume", "create", "kept", "--size", "1").exit());
    assertEquals(0, ocean("down").exit());
    Result again = ocean("up");
    assertEquals(0, again.exit(), again.describe());
    assertTrue(again.stderr().contains("Already there: machine type cpu.small"), again.describe());
    assertTrue(
        again.stderr().contains("Warning: with the process runtime, every job on this cluster"),
        "each start of a process-runtime agent warns: " + again.describe());
    Result volumes = ocean("volume", "list", "-q");
    assertEquals("kept", volumes.stdout().strip(), volumes.describe());

    Result reset = ocean("up", "--reset", "--port", "0", "--runtime", "process");
    assertEquals(0, reset.exit(), reset.describe());
    assertTrue(reset.stderr().contains("Deleted the cluster's data"), reset.describe());
    assertEquals("", ocean("volume", "list", "-q").stdout().strip(), "--reset starts over");
  }

  @Test
  void upAfterTheAgentDiedStartsItAgainAndTheRunningJobCarriesOn() throws Exception {
    // qa7 K1: "already up" with the agent dead; the job failed "node lost" 30 s later
    assertEquals(0, ocean("up", "--port", "0", "--runtime", "process").exit());
    Result submit =
        ocean(
            "job",
            "submit",
            "-q",
            "--name",
            "longrun",
            "--machine-type",
            "cpu.small",
            "--image",
            "host",
            "--",
            "sh",
            "-c",
            "echo started; sleep 8; echo survived");
    assertEquals(0, submit.exit(), submit.describe());
    String id = submit.stdout().strip();
    awaitTrue(() -> ocean("logs", id).stdout().contains("started"), "job " + id + " runs");

    long pid =
        Long.parseLong(Files.readString(home.resolve("share/ocean/ocean-agent.pid")).strip());
    ProcessHandle agent = ProcessHandle.of(pid).orElseThrow();
    agent.destroyForcibly();
    // dead, though perhaps not yet reaped (qa7 K8): a zombie counts as dead too
    awaitTrue(() -> !isRunning(pid), "agent " + pid + " ended");

    Result up = ocean("up");
    assertEquals(0, up.exit(), up.describe());
    assertTrue(
        up.stderr().contains("The server was up; started its agent again (node local)."),
        up.describe());
    assertTrue(!up.stderr().contains("already up"), up.describe());

    Result wait = ocean("job", "wait", id);
    assertEquals(0, wait.exit(), wait.describe());
    assertTrue(ocean("logs", id).stdout().contains("survived"), "the run was adopted, not lost");
  }

  @Test
  void upAfterTheAdminRemovedNodeLocalJoinsItAgainItself() throws Exception {
    // qa7 K2: up failed "the server no longer accepts this node's credential ... .; see ..."
    assertEquals(0, ocean("up", "--port", "0", "--runtime", "process").exit());
    long pid =
        Long.parseLong(Files.readString(home.resolve("share/ocean/ocean-agent.pid")).strip());
    Result remove = ocean("admin", "node", "remove", "local");
    assertEquals(0, remove.exit(), remove.describe());
    awaitTrue(() -> !isRunning(pid), "the removed node's agent " + pid + " stopped");
    Result up = ocean("up");
    // and at once after a remove, while the agent may not have noticed yet
    assertEquals(0, ocean("admin", "node", "remove", "local").exit());
    Result atOnce = ocean("up");

    assertEquals(0, up.exit(), up.describe());
    assertTrue(
        up.stderr()
            .contains(
                "Node local had been removed (`ocean admin node remove`); this machine joins as"
                    + " node local again."),
        up.describe());
    assertEquals(0, atOnce.exit(), atOnce.describe());
    assertTrue(atOnce.stderr().contains("joins as node local again"), atOnce.describe());
    Result job =
        ocean(
            "job",
            "submit",
            "--name",
            "again",
            "--machine-type",
            "cpu.small",
            "--image",
            "host",
            "--follow",
            "--",
            "echo",
            "back");
    assertEquals(0, job.exit(), job.describe());
    assertTrue(job.stdout().contains("back"), job.describe());
  }

  @Test
  void resetWhileAJobRunsIsRefusedNamingItAndLeavesNothingBehindOnceCancelled() throws Exception {
    // qa7 K14: --reset deleted the data and left the job's processes running, unowned
    String marker = "unowned-" + home.getFileName();
    assertEquals(0, ocean("up", "--port", "0", "--runtime", "process").exit());
    Result submit =
        ocean(
            "job",
            "submit",
            "-q",
            "--name",
            "rr",
            "--machine-type",
            "cpu.small",
            "--image",
            "host",
            "--",
            "sh",
            "-c",
            "echo started; sleep 120; echo " + marker);
    String id = submit.stdout().strip();
    awaitTrue(() -> ocean("logs", id).stdout().contains("started"), "job " + id + " runs");

    Result refused = ocean("up", "--reset");

    assertEquals(5, refused.exit(), refused.describe());
    assertTrue(
        refused.stderr().contains("job " + id + " is still running on this cluster")
            && refused.stderr().contains("`ocean job cancel " + id + "` first"),
        refused.describe());
    assertEquals(id, ocean("job", "list", "-q").stdout().strip(), "the job still runs");
    assertTrue(commandLinesContain(marker), "and so do its processes");
    assertEquals(0, ocean("job", "cancel", id).exit());
    awaitTrue(() -> !commandLinesContain(marker), "the job's processes ended");
    Result reset = ocean("up", "--reset", "--port", "0", "--runtime", "process");
    assertEquals(0, reset.exit(), reset.describe());
    assertTrue(reset.stderr().contains("Deleted the cluster's data"), reset.describe());
  }

  private static boolean commandLinesContain(String text) {
    return ProcessHandle.allProcesses()
        .anyMatch(p -> p.info().commandLine().map(c -> c.contains(text)).orElse(false));
  }

  private static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (java.io.IOException gone) {
      return false;
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier check, String what)
      throws InterruptedException {
    long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (!check.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("gave up waiting: " + what);
      }
      Thread.sleep(200);
    }
  }

  @Test
  void aSecondUpOfAContainerClusterKeepsItsEngineWhateverTheShellsDockerHost() throws Exception {
    // qa8 Q10: a later `up` in a shell without DOCKER_HOST said "process runtime" and made the
    // image `host`, which no node of the cluster can run
    try (PodmanFixture podman = PodmanFixture.start()) {
      Result first =
          ocean(
              Map.of("DOCKER_HOST", podman.dockerHost()),
              "up",
              "--port",
              "0",
              "--runtime",
              "docker");
      assertEquals(0, first.exit(), first.describe());
      assertTrue(first.stderr().contains("with the docker runtime"), first.describe());
      assertEquals(0, ocean("down").exit());

      Result again = ocean(Map.of("DOCKER_HOST", ""), "up");
      assertEquals(0, again.exit(), again.describe());
      assertTrue(
          again.stderr().contains("Starting ocean-agent with the docker runtime"),
          again.describe());
      assertFalse(again.stderr().contains("process runtime"), again.describe());
      Result images = ocean("image", "list");
      assertFalse(images.stdout().contains("local/host"), images.describe());
      assertEquals(0, ocean("down").exit());
    }
  }

  @Test
  void twoUpsAtOnceBothSucceedAndStartOneCluster() throws Exception {
    var one =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> ocean("up", "--port", "0", "--runtime", "process"));
    var two =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> ocean("up", "--port", "0", "--runtime", "process"));

    Result a = one.get();
    Result b = two.get();

    assertEquals(0, a.exit(), a.describe());
    assertEquals(0, b.exit(), b.describe());
    assertTrue(
        (a.stderr() + b.stderr()).contains("already up"), "the later one found it up: " + a + b);
    assertEquals(0, ocean("node", "list", "-q").exit());
  }

  private void writeBuild(String id) {
    try {
      Files.writeString(home.resolve("share/ocean/build"), id + "\n");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void installShUpPassesItsPortAndRuntimeToOceanUpAndRunsAFirstJob() {
    Path prefix = home.resolve("prefix");

    Result r =
        Exec.run(
            home,
            env(),
            "",
            "sh",
            DIST.resolve("install.sh").toAbsolutePath().toString(),
            "--prefix",
            prefix.toString(),
            "--up",
            "--port",
            "0",
            "--runtime",
            "process");

    assertEquals(0, r.exit(), r.describe());
    assertTrue(r.stderr().contains("Ocean is up at http://127.0.0.1:"), r.describe());
    assertTrue(r.stdout().contains("hello from 1"), "the first job ran: " + r.describe());
    assertTrue(!r.stderr().contains(":8080"), "the port given, not the default: " + r.describe());

    // installed again over the running cluster (qa4 F23): it is stopped before its programs are
    // replaced and runs the new ones after, instead of running on from a deleted tree
    long serverBefore = pid("ocean-server");
    Result again =
        Exec.run(
            home,
            env(),
            "",
            "sh",
            DIST.resolve("install.sh").toAbsolutePath().toString(),
            "--prefix",
            prefix.toString(),
            "--up",
            "--port",
            "0",
            "--runtime",
            "process");
    assertEquals(0, again.exit(), again.describe());
    assertTrue(
        again.stdout().contains("Stopping the cluster that `ocean up` started from"),
        again.describe());
    assertFalse(again.stderr().contains("already up"), again.describe());
    assertTrue(again.stdout().contains("hello from 2"), "a job ran on it: " + again.describe());
    assertFalse(ProcessHandle.of(serverBefore).isPresent(), "the old server stopped");
    assertTrue(ProcessHandle.of(pid("ocean-server")).isPresent(), "the new server runs");

    // uninstalling stops the cluster it brought up and names the data it keeps
    Result gone =
        Exec.run(
            home,
            env(),
            "",
            "sh",
            DIST.resolve("install.sh").toAbsolutePath().toString(),
            "--prefix",
            prefix.toString(),
            "--uninstall");
    assertEquals(0, gone.exit(), gone.describe());
    assertTrue(
        gone.stdout().contains(home.resolve("share/ocean").toString()),
        "names the cluster's data: " + gone.describe());
    assertTrue(
        gone.stdout().contains(home.resolve("config/ocean/config.json").toString()),
        "names the CLI login that ocean up saved: " + gone.describe());
    assertTrue(Files.isDirectory(home.resolve("share/ocean")), "the data stays");
    assertEquals(List.of(), processesUnderHome(), "no process of the cluster is left");
  }

  /** The pid that {@code ocean up} recorded for {@code program}. */
  private long pid(String program) {
    try {
      return Long.parseLong(
          Files.readString(home.resolve("share/ocean/" + program + ".pid")).strip());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private List<ProcessHandle> processesUnderHome() {
    String marker = home.toString();
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  private static Set<PosixFilePermission> permissions(Path file) {
    try {
      return Files.getPosixFilePermissions(file);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private Result ocean(String... args) {
    return ocean(Map.of(), args);
  }

  /** Runs {@code ocean} with {@code more} in its environment (an empty value removes one). */
  private Result ocean(Map<String, String> more, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = DIST.resolve("bin/ocean").toAbsolutePath().toString();
    System.arraycopy(args, 0, command, 1, args.length);
    Map<String, String> env = new java.util.HashMap<>(env());
    env.putAll(more);
    return Exec.run(home, env, "", command);
  }

  private Map<String, String> env() {
    return Map.of(
        "HOME", home.toString(),
        "XDG_CONFIG_HOME", home.resolve("config").toString(),
        "XDG_DATA_HOME", home.resolve("share").toString(),
        "NO_COLOR", "1");
  }
}
