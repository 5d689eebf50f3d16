package dev.ocean.agent.work;

import static dev.ocean.agent.runtime.PollUntil.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.docker.DockerEngineClient;
import dev.ocean.agent.runtime.docker.DockerOptions;
import dev.ocean.agent.runtime.docker.DockerRuntime;
import dev.ocean.agent.runtime.docker.FreePortRange;
import dev.ocean.agent.runtime.docker.InstanceOptions;
import dev.ocean.agent.runtime.docker.PodmanFixture;
import dev.ocean.agent.runtime.docker.SshdImage;
import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.common.api.instance.InstanceSpec;
import dev.ocean.common.api.job.Assignment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.schmizz.sshj.userauth.UserAuthException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Instances in real containers (a private Podman service) through the work loop: the image has a
 * real OpenSSH sshd built from this machine's binaries, no linuxbrew user and no useradd; users
 * reach it over loopback only, as agents in tests advertise 127.0.0.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstanceWorkLoopTest extends WorkLoopHarness {

  /** Starting a container on a busy 2-core machine can take a while. */
  private static final java.time.Duration START = java.time.Duration.ofSeconds(60);

  private PodmanFixture podman;
  private String image;
  private Path keys;
  private String ownerKey;

  @BeforeAll
  void startPodman() throws Exception {
    podman = PodmanFixture.start();
    image = SshdImage.build(podman);
    keys = Files.createTempDirectory("ocean-instance-keys-");
    for (String who : List.of("owner", "stranger")) {
      Process keygen =
          new ProcessBuilder(
                  "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys.resolve(who).toString())
              .redirectErrorStream(true)
              .start();
      assertEquals(0, keygen.waitFor(), new String(keygen.getInputStream().readAllBytes()));
    }
    ownerKey = Files.readString(keys.resolve("owner.pub")).strip();
  }

  @AfterAll
  void stopPodman() throws Exception {
    if (podman != null) {
      podman.close();
    }
    if (keys != null) {
      for (String f : List.of("owner", "owner.pub", "stranger", "stranger.pub")) {
        Files.deleteIfExists(keys.resolve(f));
      }
      Files.deleteIfExists(keys);
    }
  }

  @Test
  void ownerLogsInAsLinuxbrewThatTheInitCreatedAndAStrangerIsRefused() throws Exception {
    server.assign(instance("101-0", "vol-101", "box"));
    startInstanceLoop(agentName(), null);

    InstanceEndpoints at = awaitHostKey("101-0");
    assertEquals("127.0.0.1", at.address());
    assertEquals(
        "1000\nlinuxbrew\n/home/linuxbrew/.cache/huggingface /home/linuxbrew/.local\nnone\n"
            + "job 101 in a login shell\n",
        InstanceSsh.run(
            at,
            keys.resolve("owner"),
            "id -u; id -un; echo $HF_HOME $PYTHONUSERBASE;"
                + " command -v useradd adduser || echo none;"
                + " sh -lc 'echo job $OCEAN_JOB_ID in a login shell'"));
    String onVolume =
        Files.readString(storage.resolve("vol-101/.ocean/ssh_host_ed25519_key.pub")).strip();
    assertTrue(onVolume.startsWith(at.hostKey() + " "), onVolume + " vs " + at.hostKey());
    assertThrows(
        UserAuthException.class,
        () -> InstanceSsh.run(at, keys.resolve("stranger"), "echo should not run"));
    awaitLog("101-0", "ocean-init: created user linuxbrew (uid 1000)");
  }

  @Test
  void editorPortAnswersHttpAndAHomeWithoutAVolumeStillReportsItsHostKey() throws Exception {
    // the server sends no editor password: the init makes a random one
    server.assign(instance("102-0", null, "nohome", null));
    startInstanceLoop(agentName(), null);

    InstanceEndpoints at = awaitHostKey("102-0"); // read through the engine: no volume on the host
    assertEquals(SshdImage.EDITOR_PAGE + "\n", InstanceSsh.editorPage(at));
    String config =
        InstanceSsh.run(at, keys.resolve("owner"), "grep -E '^(auth|password):' .code/config.yaml");
    assertTrue(
        config.matches("auth: password\npassword: '[0-9a-f]{36}'\n"),
        "a random editor password, not the owner's email: " + config);
  }

  @Test
  void homeSurvivesStopAndStartAndShowsInANewInstanceOnTheSameVolume() throws Exception {
    server.assign(instance("103-0", "vol-103", "keeper"));
    startInstanceLoop(agentName(), null);
    InstanceEndpoints first = awaitHostKey("103-0");
    InstanceSsh.run(first, keys.resolve("owner"), "echo kept > notes.txt");

    server.cancel("103-0");
    awaitState("103-0", "cancelled");
    assertTrue(
        server.reports("103-0").getLast().startsWith("cancelled 0 "),
        "the init stops cleanly: " + server.reports("103-0"));
    awaitLog("103-0", "ocean-init: stopping");
    poll(WAIT, "the stopped instance's container is removed", () -> containers("103-0") == 0);
    // the user changed the editor password: a later start must keep it
    Path config = storage.resolve("vol-103/.code/config.yaml");
    Files.writeString(config, Files.readString(config).replace("pass''word", "mine"));

    server.assign(instance("103-1", "vol-103", "keeper"));
    InstanceEndpoints second = awaitHostKey("103-1");
    assertEquals(first.hostKey(), second.hostKey());
    assertEquals(
        "kept\npassword: 'mine'\n",
        InstanceSsh.run(
            second, keys.resolve("owner"), "cat notes.txt; grep ^password .code/config.yaml"));
    server.cancel("103-1");
    awaitState("103-1", "cancelled");

    server.assign(instance("104-0", "vol-103", "another"));
    InstanceEndpoints other = awaitHostKey("104-0");
    assertEquals(first.hostKey(), other.hostKey());
    assertEquals("kept\n", InstanceSsh.run(other, keys.resolve("owner"), "cat notes.txt"));
  }

  @Test
  void restartedAgentReadoptsTheRunningInstanceWithTheSamePortsAndKeepsThemReserved()
      throws Exception {
    int low = FreePortRange.low(4);
    String range = low + "-" + (low + 3);
    String agent = agentName();
    server.assign(instance("105-0", "vol-105", "lasting"));
    WorkLoop first = startInstanceLoop(agent, range);
    InstanceEndpoints before = awaitHostKey("105-0");
    first.close();

    startInstanceLoop(agent, range);
    poll(
        WAIT, "the adopted instance is reported again", () -> server.endpoints("105-0").size() > 1);
    assertEquals(before, server.endpoints("105-0").getLast());
    assertEquals("still here\n", InstanceSsh.run(before, keys.resolve("owner"), "echo still here"));

    server.assign(instance("106-0", null, "neighbour"));
    InstanceEndpoints neighbour = awaitHostKey("106-0");
    Set<Integer> taken = Set.of(before.sshPort(), before.editorPort());
    assertTrue(
        !taken.contains(neighbour.sshPort()) && !taken.contains(neighbour.editorPort()),
        "ports " + neighbour + " collide with the adopted " + before);
    assertTrue(
        neighbour.sshPort() >= low && neighbour.editorPort() <= low + 3, neighbour.toString());
  }

  @Test
  void imageWithoutSshdRunsItsInitAndReportsNeitherSshNorEditor() throws Exception {
    Assignment plain = instance("107-0", "vol-107", "plain");
    server.assign(
        new Assignment(
            plain.runId(),
            plain.jobId(),
            plain.runIndex(),
            PodmanFixture.IMAGE,
            plain.command(),
            plain.env(),
            plain.volumePath(),
            0,
            0,
            List.of(),
            1,
            plain.instance()));
    startInstanceLoop(agentName(), null);

    poll(
        WAIT,
        "107-0 reported what its init started",
        () -> server.endpoints("107-0").stream().anyMatch(InstanceEndpoints::servicesKnown));
    awaitLog("107-0", "ocean-init: this image has no sshd");
    InstanceEndpoints last = server.endpoints("107-0").getLast();
    assertNull(last.hostKey());
    assertEquals(false, last.sshd(), "the server shows no SSH command for it");
    assertEquals(false, last.editor(), "nor an editor URL");
    assertEquals("running", server.state("107-0"));

    server.cancel("107-0");
    awaitState("107-0", "cancelled");
    assertTrue(
        server.reports("107-0").getLast().startsWith("cancelled 0 "),
        server.reports("107-0").toString() + server.logText("107-0"));
  }

  private WorkLoop startInstanceLoop(String agent, String portRange) {
    return startLoop(
        new DockerRuntime(
            DockerEngineClient.forHost(podman.dockerHost()),
            DockerOptions.defaults(agent)
                .withNetworkMode("host")
                .withInstances(
                    InstanceOptions.of("127.0.0.1", portRange, state.resolve("instance-init")))));
  }

  private static String agentName() {
    return "agent-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Assignment instance(String runId, String volumePath, String name) {
    return instance(runId, volumePath, name, "pass'word");
  }

  private Assignment instance(String runId, String volumePath, String name, String password) {
    String[] parts = runId.split("-");
    return new Assignment(
        runId,
        Long.parseLong(parts[0]),
        Integer.parseInt(parts[1]),
        image,
        List.of(),
        Map.of("OCEAN_JOB_ID", parts[0]),
        volumePath,
        0,
        0,
        List.of(),
        1,
        new InstanceSpec(name, "owner@example.com", List.of(ownerKey), password));
  }

  /** Waits until the run was reported running with its host key, and returns those endpoints. */
  private InstanceEndpoints awaitHostKey(String runId) {
    poll(
        START,
        runId + " reported its host key",
        () -> {
          List<InstanceEndpoints> all = server.endpoints(runId);
          return !all.isEmpty() && all.getLast().hostKey() != null;
        });
    InstanceEndpoints at = server.endpoints(runId).getLast();
    assertNotNull(at.hostKey());
    return at;
  }

  private int containers(String runId) {
    try {
      return podman
          .output("ps", "-a", "-q", "--filter", "label=ocean.run-id=" + runId)
          .strip()
          .lines()
          .toList()
          .size();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
