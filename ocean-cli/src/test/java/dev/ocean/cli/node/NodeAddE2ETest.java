package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.Cli;
import dev.ocean.cli.base.CliContext;
import dev.ocean.common.api.node.JoinToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean node add} against a real OpenSSH server on loopback and a real Ocean server: the
 * host is this machine, the release a prepared installation whose agent runs on this test's class
 * path, the prefix and the agent's state in temporary directories.
 */
class NodeAddE2ETest {
  @TempDir Path dir;
  TestCluster cluster;
  Sshd sshd;
  Path home;
  Path release;
  Path prefix;
  Path state;

  @BeforeEach
  void setUp() throws Exception {
    Sshd.requireSshd();
    cluster = new TestCluster(dir);
    sshd = Sshd.start(dir.resolve("sshd"));
    home = Files.createDirectories(dir.resolve("admin-home"));
    release = prepareRelease(dir.resolve("release"));
    prefix = dir.resolve("host/opt/ocean");
    state = dir.resolve("host/var/lib/ocean-agent");
  }

  @AfterEach
  void tearDown() throws IOException {
    Path pid = state.resolve("agent.pid");
    if (Files.exists(pid)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
          .ifPresent(
              p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
              });
    }
    if (sshd != null) {
      sshd.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void addsHostOverSshAndItsAgentHeartbeats() throws Exception {
    TestCluster.Run r =
        add("--accept-new-host-key", "--identity", sshd.clientKey.toString(), "--name", "ssh-1");

    r.ok();
    assertTrue(r.out().contains("Node ssh-1 joined from root@127.0.0.1"), r.out());
    assertTrue(
        r.err()
            .contains(
                "Warning: ssh-1 takes no runs yet: runtime process cannot start runs: the agent"
                    + " runs as root"),
        "a process-runtime agent as root cannot run jobs, and the add says so: " + r.err());
    assertTrue(r.err().contains("Uploading the release ("), r.err());
    assertEquals("ready", cluster.stateOf("ssh-1"));
    assertTrue(Files.isExecutable(prefix.resolve("bin/ocean-agent")), "installed into --prefix");
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(state)),
        "the agent's state directory is owner-only");
    assertTrue(
        Files.readString(home.resolve(".ssh/known_hosts"))
            .contains("[127.0.0.1]:" + sshd.port + " ssh-ed25519 "),
        "the accepted host key was added to known_hosts");
    List<JoinToken> tokens =
        cluster
            .admin("admin", "node", "tokens", "-o", "json")
            .ok()
            .json(new TypeReference<List<JoinToken>>() {});
    assertEquals(1, tokens.size(), "one fresh token made for this add");
    assertEquals(1, tokens.get(0).uses());
    assertEquals("used", tokens.get(0).state());
  }

  @Test
  void hostWhoseSshdHasNoSftpGetsTheReleaseThroughTheShell() throws Exception {
    sshd.close();
    sshd = Sshd.start(dir.resolve("sshd-no-sftp"), false);

    TestCluster.Run r =
        add("--accept-new-host-key", "--identity", sshd.clientKey.toString(), "--name", "ssh-1");

    r.ok(); // before: "cannot upload to ...: Request failed."
    assertTrue(r.out().contains("Node ssh-1 joined from root@127.0.0.1"), r.out());
    assertEquals("ready", cluster.stateOf("ssh-1"));
    assertTrue(Files.isExecutable(prefix.resolve("bin/ocean-agent")), "installed into --prefix");
  }

  @Test
  void storageIsPassedToTheAgentsJoinSoTheNodeCanTakeVolumeJobs() throws Exception {
    Path storage = Files.createDirectories(dir.resolve("host/storage"));
    dev.ocean.common.files.StorageMarker.ensure(storage);

    add(
            "--accept-new-host-key",
            "--identity",
            sshd.clientKey.toString(),
            "--name",
            "ssh-1",
            "--storage",
            storage.toString())
        .ok();

    // the agent joined with the storage (before, node add had no --storage: never volume jobs)
    String config = Files.readString(state.resolve("agent.json"));
    assertTrue(config.contains(storage.toString()), config);
  }

  @Test
  void unknownHostKeyIsRefusedWithoutTheFlag() throws Exception {
    TestCluster.Run r = add("--identity", sshd.clientKey.toString(), "--name", "ssh-1");

    assertEquals(4, r.exit(), r.err());
    assertTrue(r.err().contains("is not in " + home.resolve(".ssh/known_hosts")), r.err());
    assertTrue(r.err().contains("--accept-new-host-key"), r.err());
    assertTrue(r.err().contains(sshd.fingerprint()), "fingerprint as ssh-keygen -l shows it");
    assertFalse(Files.exists(home.resolve(".ssh/known_hosts")), "known_hosts left alone");
    assertFalse(Files.exists(prefix), "nothing installed");
  }

  @Test
  void changedHostKeyIsRefusedEvenWithAcceptNew() throws Exception {
    Path other = Sshd.keygen(dir.resolve("other_host_ed25519"));
    String stale = sshd.knownHostsLine(Path.of(other + ".pub"));
    Files.createDirectories(home.resolve(".ssh"));
    Files.writeString(home.resolve(".ssh/known_hosts"), stale);

    TestCluster.Run r =
        add("--accept-new-host-key", "--identity", sshd.clientKey.toString(), "--name", "ssh-1");

    assertEquals(4, r.exit(), r.err());
    assertTrue(r.err().contains("WARNING: the host key of root@127.0.0.1"), r.err());
    assertTrue(r.err().contains("has CHANGED"), r.err());
    assertEquals(stale, Files.readString(home.resolve(".ssh/known_hosts")), "not overwritten");
    assertFalse(Files.exists(prefix), "nothing installed");
  }

  @Test
  void keyTheHostDoesNotAuthorizeIsRefused() throws Exception {
    trustHostKey();
    Path wrong = Sshd.keygen(dir.resolve("wrong_ed25519"));

    TestCluster.Run r = add("--identity", wrong.toString(), "--name", "ssh-1");

    assertEquals(4, r.exit(), r.err());
    assertTrue(r.err().contains("SSH login to root@127.0.0.1:" + sshd.port + " failed"), r.err());
    assertTrue(r.err().contains("--identity"), r.err());
    assertFalse(Files.exists(prefix), "nothing installed");
  }

  @Test
  void defaultKeyInHomeIsUsedWithoutIdentity() throws Exception {
    trustHostKey();
    Files.copy(sshd.clientKey, home.resolve(".ssh/id_ed25519"));

    add("--name", "ssh-2").ok();

    assertEquals("ready", cluster.stateOf("ssh-2"));
  }

  @Test
  void addThatTimesOutLeavesNothingInstalledAndRevokesItsToken() throws Exception {
    trustHostKey();

    TestCluster.Run r =
        add("--identity", sshd.clientKey.toString(), "--name", "ssh-1", "--timeout", "1");

    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("node ssh-1 did not report within 1 s"), r.err());
    assertFalse(Files.exists(prefix), "the prefix it created is removed");
    assertFalse(Files.exists(state), "the agent it started is stopped, its state removed");
    assertFalse(
        Files.exists(dir.resolve("host")), "so are the parents it made for --prefix/--state-dir");
    List<JoinToken> tokens =
        cluster
            .admin("admin", "node", "tokens", "-o", "json")
            .ok()
            .json(new TypeReference<List<JoinToken>>() {});
    assertNotEquals("active", tokens.get(0).state(), "its join token can no longer be used");
  }

  @Test
  void aNameAnExistingNodeHasIsRefusedBeforeAnythingIsCopied() throws Exception {
    trustHostKey();
    cluster
        .server
        .nodes()
        .register(
            new dev.ocean.common.api.node.Registration(
                cluster.joinToken("1h"),
                "ssh-1",
                dev.ocean.common.Version.VERSION,
                dev.ocean.common.Version.AGENT_PROTOCOL,
                new dev.ocean.common.api.node.NodeFacts(
                    "ssh-1", "Linux", "amd64", "cpu", 4, 8L << 30, List.of(), List.of(), null)));

    TestCluster.Run r = add("--identity", sshd.clientKey.toString(), "--name", "ssh-1");

    assertEquals(5, r.exit(), r.err());
    // ready, or lost already (this test's server counts a node silent for 3 s as lost)
    assertTrue(r.err().contains("node ssh-1 already exists ("), r.err());
    assertTrue(r.err().contains("pick another --name"), r.err());
    assertFalse(r.err().contains("Uploading"), r.err());
    assertFalse(Files.exists(prefix), "nothing installed");
    List<JoinToken> tokens =
        cluster
            .admin("admin", "node", "tokens", "-o", "json")
            .ok()
            .json(new TypeReference<List<JoinToken>>() {});
    assertEquals(1, tokens.size(), "no join token left active for an agent that never joins");
  }

  @Test
  void anUnknownRunAsAccountIsRefusedBeforeTheReleaseIsCopied() throws Exception {
    trustHostKey();

    TestCluster.Run r =
        add(
            "--identity",
            sshd.clientKey.toString(),
            "--name",
            "ssh-1",
            "--run-as",
            "no-such-account-here");

    assertEquals(1, r.exit(), r.err());
    assertTrue(
        r.err().contains("--run-as no-such-account-here: no such account on 127.0.0.1"), r.err());
    assertFalse(r.err().contains("Uploading"), "checked before the upload: " + r.err());
    assertFalse(Files.exists(prefix), "nothing installed");
  }

  @Test
  void aHostsFileNamingOneMachineTwiceIsRefusedBeforeAnythingStarts() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "127.0.0.1".equals(java.net.InetAddress.getByName("localhost").getHostAddress()),
        "localhost is 127.0.0.1 here");
    Path hosts = dir.resolve("hosts.txt");
    Files.writeString(
        hosts, "root@127.0.0.1:" + sshd.port + "\n# again\nroot@localhost:" + sshd.port + "\n");

    TestCluster.Run r = run(List.of("node", "add", "--hosts", hosts.toString()));

    assertEquals(2, r.exit(), r.err());
    assertTrue(
        r.err().contains("'root@localhost:" + sshd.port + "' is the same machine as"), r.err());
    assertFalse(Files.exists(prefix), "nothing installed");
  }

  @Test
  void userWhoIsNotAdminIsRefusedBeforeAnythingIsCopied() throws Exception {
    trustHostKey();

    TestCluster.Run r =
        addAs(cluster.userToken, "--identity", sshd.clientKey.toString(), "--name", "ssh-1");

    assertEquals(4, r.exit(), r.err());
    assertFalse(r.err().contains("Uploading"), r.err());
    assertFalse(Files.exists(prefix), "nothing installed");
  }

  @Test
  void badNameIsAUsageErrorBeforeAnythingHappens() {
    TestCluster.Run r = add("--identity", sshd.clientKey.toString(), "--name", "Not_A_Name!");

    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().startsWith("Error: --name: must be 1-63 lower-case letters"), r.err());
    assertFalse(Files.exists(home.resolve(".ssh/known_hosts")), "no connection was made");
  }

  @Test
  void hostsFileAddsEachHostWithOneLineAndTheWorstExitCode() throws Exception {
    trustHostKey();
    Files.copy(sshd.clientKey, home.resolve(".ssh/id_ed25519"));
    Path hosts = dir.resolve("hosts");
    Files.writeString(
        hosts, "root@127.0.0.1:" + sshd.port + "\nnobody-here@127.0.0.1:" + sshd.port + "\n");

    TestCluster.Run r = run(List.of("node", "add", "--hosts", hosts.toString()));

    assertEquals(4, r.exit(), r.out() + r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r.out());
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("root@127.0.0.1:" + sshd.port + ": joined as ")),
        r.out());
    assertTrue(
        lines.stream()
            .anyMatch(
                l -> l.startsWith("nobody-here@127.0.0.1:" + sshd.port + ": error: SSH login")),
        r.out());
  }

  private void trustHostKey() throws IOException {
    Files.createDirectories(home.resolve(".ssh"));
    Files.writeString(
        home.resolve(".ssh/known_hosts"), sshd.knownHostsLine(Path.of(sshd.hostKey + ".pub")));
  }

  private TestCluster.Run add(String... flags) {
    return addAs(cluster.adminToken, flags);
  }

  private TestCluster.Run addAs(String token, String... flags) {
    List<String> args = new ArrayList<>(List.of("node", "add", "root@127.0.0.1"));
    args.addAll(List.of(flags));
    return run(token, args);
  }

  private TestCluster.Run run(List<String> command) {
    return run(cluster.adminToken, command);
  }

  private TestCluster.Run run(String token, List<String> command) {
    List<String> args = new ArrayList<>(command);
    args.addAll(
        List.of(
            "--port",
            String.valueOf(sshd.port),
            "--runtime",
            "process",
            "--prefix",
            prefix.toString(),
            "--state-dir",
            state.toString(),
            "--release-dir",
            release.toString()));
    if (!command.contains("--timeout")) {
      args.addAll(List.of("--timeout", "90"));
    }
    Map<String, String> env = new HashMap<>();
    env.put("OCEAN_SERVER", cluster.url());
    env.put("OCEAN_TOKEN", token);
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("HOME", home.toString());
    env.put("NO_COLOR", "1");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Cli.run(
            new CliContext(
                env,
                new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out),
                new PrintWriter(err),
                null,
                false),
            args.toArray(String[]::new));
    return new TestCluster.Run(exit, out.toString(), err.toString());
  }

  /** An installation whose bin/ocean-agent runs the agent from this test's class path. */
  private static Path prepareRelease(Path release) throws IOException {
    Files.createDirectories(release.resolve("lib/agent"));
    Files.createDirectories(release.resolve("bin"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path agent = release.resolve("bin/ocean-agent");
    Files.writeString(
        agent,
        "#!/bin/sh\nexec '"
            + java
            + "' --enable-native-access=ALL-UNNAMED -Xmx128m -XX:+UseSerialGC"
            + " -XX:TieredStopAtLevel=1 -cp '"
            + System.getProperty("java.class.path")
            + "' dev.ocean.agent.Main \"$@\"\n");
    Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
    return release;
  }
}
