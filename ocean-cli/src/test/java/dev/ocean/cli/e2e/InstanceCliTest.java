package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.common.api.job.Assignment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean instance} and {@code ocean ssh-key} against a real server: create, list, get, delete
 * with their exit codes, the quota rule, and {@code instance ssh} with a fake {@code ssh}.
 */
class InstanceCliTest {
  static final String ED25519 =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIak9hwix0Q3gjIcYOPFNMwveKiYTJo2Tu05rBscIB6z ada@laptop";
  static final String HOST_KEY =
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCgLVdRy+a29ZKxFsQlq1N3Zso06Cyba8xkhEVP/iK904v1t6LVeLZ1r7oAiEzkJR/pSaLouIZ/WxJRT6OdJYss=";

  @TempDir Path dir;
  TestCluster cluster;
  Ocean ada;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
    ada = cluster.user("ada@example.com");
    cluster.grant("ada@example.com", "g1.small", 1, 1);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private Run create(Ocean who, String name) {
    return who.ocean(
        "instance", "create", name, "--machine-type", "g1.small", "--image", "pytorch");
  }

  @Test
  void createListGetDeleteWithTheQuotaRuleAndExitCodes() {
    String said = create(ada, "dev").ok().err();
    assertTrue(said.contains("holds 1 unit of quota g1.small"), said);
    // ada registered no SSH key: nobody could log in, and create says so (qa7 K18)
    assertTrue(
        said.contains(
            "You have no SSH key registered, so nobody can log in to dev over SSH: `ocean"
                + " ssh-key add ~/.ssh/id_ed25519.pub`"),
        said);

    String[] listed = new String[1];
    // the scheduler looks at the new instance's run on its next pass; until then it says so
    dev.ocean.cli.node.Poll.check(
        java.time.Duration.ofSeconds(30),
        "instance list says why it waits",
        () -> {
          listed[0] = ada.ocean("instance", "list").ok().out();
          return listed[0].contains("no node has joined the cluster");
        });
    String table = listed[0];
    assertTrue(table.startsWith("NAME"), table);
    assertTrue(table.contains("dev") && table.contains("pending"), table);

    String get = ada.ocean("instance", "get", "dev").ok().out();
    assertTrue(
        get.contains("holds 1 unit of quota g1.small until deleted (also while stopped)"), get);
    assertTrue(get.contains("#1 in the FIFO queue"), get);

    String quota = create(ada, "two").failsWithOneLine(5);
    assertTrue(quota.contains("quota"), quota);
    String bad = create(ada, "Bad_Name").failsWithOneLine(2);
    assertTrue(bad.contains("NAME must be"), "names the argument: " + bad);
    String unknown =
        ada.ocean("instance", "create", "x", "--machine-type", "nope", "--image", "pytorch")
            .failsWithOneLine(3);
    assertTrue(unknown.contains("nope"), unknown);

    Ocean bob = cluster.user("bob@example.com");
    bob.ocean("instance", "get", "dev").failsWithOneLine(3);
    bob.ocean("instance", "delete", "dev").failsWithOneLine(3);
    bob.ocean("instance", "list", "--all-users").failsWithOneLine(4);
    List<Instance> all =
        cluster
            .admin()
            .ocean("instance", "list", "--all-users", "-o", "json")
            .json(new TypeReference<List<Instance>>() {});
    assertEquals(List.of("dev"), all.stream().map(Instance::name).toList());
    String wide = cluster.admin().ocean("instance", "list", "--all-users", "-o", "wide").ok().out();
    assertTrue(wide.contains("USER") && wide.contains("AGE") && wide.contains("GPUS"), wide);

    ada.ocean("instance", "stop", "dev").ok();
    create(ada, "two").failsWithOneLine(5);
    ada.ocean("instance", "delete", "dev").ok();
    ada.ocean("instance", "get", "dev").failsWithOneLine(3);
    create(ada, "two").ok();
  }

  @Test
  void sshPinsTheReportedHostKeyAndRunsTheSystemSshWithIt() throws Exception {
    ada.withStdin(ED25519 + "\n", "ssh-key", "add", "-").ok();
    assertTrue(ada.ocean("ssh-key", "list").ok().out().contains("SHA256:DaWynevzjXgD6sAIbFtk"));
    FakeAgent agent = new FakeAgent(cluster, "gpu1");
    create(ada, "dev").ok();
    Assignment a = agent.next();
    assertEquals(List.of(ED25519), a.instance().authorizedKeys());
    // something answers at the published port, so ssh goes there directly (no tunnel)
    try (java.net.ServerSocket node =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      int port = node.getLocalPort();
      agent.running(
          a, new InstanceEndpoints("127.0.0.1", port, 30080, HOST_KEY + " root@dev", true, true));
      sshRunsDirectly(port);
    }
  }

  @Test
  void portForwardToAnInstanceThatIsMissingOrStoppedFailsBeforeListening() {
    assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(60),
        () -> {
          String missing =
              ada.ocean("instance", "port-forward", "nosuchthing", "0:22").failsWithOneLine(3);
          assertTrue(missing.contains("nosuchthing"), missing);
          create(ada, "dev").ok();
          ada.ocean("instance", "stop", "dev").ok();
          assertEquals(
              "instance dev is stopped; start it with `ocean instance start dev`.",
              ada.ocean("instance", "port-forward", "dev", "0:8888").failsWithOneLine(5));
        });
  }

  @Test
  void anImageWithoutSshdOrCodeServerShowsNeitherCommandNorUrl() throws Exception {
    FakeAgent agent = new FakeAgent(cluster, "gpu1");
    create(ada, "plain").ok();
    agent.running(
        agent.next(), new InstanceEndpoints("127.0.0.1", 30022, 30080, null, false, false));

    String get = ada.ocean("instance", "get", "plain").ok().out();
    assertTrue(!get.contains("ssh -p") && !get.contains("http://"), get);
    assertTrue(get.contains("none: no sshd in this image"), get);
    assertTrue(get.contains("none: no code-server in this image"), get);
    assertEquals(
        "instance plain has no SSH: there is no sshd in its image.",
        ada.ocean("instance", "ssh", "plain").failsWithOneLine(1));
    // what `ssh ocean-plain` runs through ocean ssh-config says the same (qa8 Q7)
    assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(60),
        () -> {
          assertEquals(
              "instance plain has no SSH: there is no sshd in its image.",
              ada.ocean("instance", "proxy", "plain").failsWithOneLine(1));
          assertEquals(
              "instance plain has no SSH: there is no sshd in its image.",
              ada.ocean("instance", "port-forward", "plain", "0:22").failsWithOneLine(1));
        });
  }

  private void sshRunsDirectly(int port) throws Exception {

    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path fake = bin.resolve("ssh");
    Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do echo \"arg:$a\"; done\nexit 7\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    ada.env("PATH", bin + ":/usr/bin:/bin");

    Run run = ada.ocean("-v", "instance", "ssh", "dev", "--", "nvidia-smi", "-L");
    assertEquals(7, run.exit(), "exits with ssh's code: " + run);
    Path knownHosts = ada.configFile().resolveSibling("known_hosts");
    assertEquals(
        "ocean-dev.ada_example.com " + HOST_KEY + "\n",
        Files.readString(knownHosts),
        "one line per instance, whatever port it has now");
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(knownHosts)));
    assertEquals(
        List.of(
            "arg:-o",
            "arg:UserKnownHostsFile=" + knownHosts,
            "arg:-o",
            "arg:StrictHostKeyChecking=yes",
            "arg:-o",
            "arg:GlobalKnownHostsFile=/dev/null",
            "arg:-o",
            "arg:HostKeyAlias=ocean-dev.ada_example.com",
            "arg:-p",
            "arg:" + port,
            "arg:linuxbrew@127.0.0.1",
            "arg:nvidia-smi",
            "arg:-L"),
        run.lines());
    assertTrue(run.err().contains(fake + " -o UserKnownHostsFile="), "-v shows it: " + run);

    String get = ada.ocean("instance", "get", "dev").ok().out();
    assertTrue(get.contains("ssh -p " + port + " linuxbrew@127.0.0.1"), get);
    assertTrue(get.contains("http://127.0.0.1:30080/"), get);
    assertTrue(get.contains("SHA256:a2RjoiX/h/SvRL29Xrdc/jOX9EToHbmVX3m+ETaZGDM"), get);

    ada.env("PATH", dir.resolve("empty").toString());
    assertTrue(ada.ocean("instance", "ssh", "dev").failsWithOneLine(1).contains("no ssh command"));
  }

  @Test
  void waitExitsOneWithTheReasonWhenTheInstanceFails() throws Exception {
    FakeAgent agent = new FakeAgent(cluster, "gpu1");
    Thread failer =
        Thread.ofVirtual()
            .start(
                () -> {
                  Assignment a = agent.next();
                  agent.failed(a, "image pytorch could not be pulled");
                });
    Run run =
        ada.ocean(
            "instance",
            "create",
            "dev",
            "--machine-type",
            "g1.small",
            "--image",
            "pytorch",
            "--wait");
    failer.join();
    assertEquals(1, run.exit(), run.toString());
    assertTrue(
        run.err()
            .strip()
            .endsWith("Error: instance dev failed: image pytorch could not be pulled."),
        run.toString());
  }
}
