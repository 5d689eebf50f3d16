package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.quota.QuotaCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users see and touch only their own things; admin commands need an admin. */
class IsolationTest {
  @TempDir java.nio.file.Path dir;
  TestCluster cluster;
  Ocean ada;
  Ocean bob;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
    ada = cluster.user("ada@example.com");
    bob = cluster.user("bob@example.com");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void usersNeverSeeOrDeleteEachOthersVolumes() {
    ada.ocean("volume", "create", "data", "--size", "10").ok();

    assertEquals("", bob.ocean("volume", "list", "-q").ok().out());
    assertTrue(
        bob.ocean("volume", "list", "-o", "json")
            .json(new com.fasterxml.jackson.core.type.TypeReference<java.util.List<Object>>() {})
            .isEmpty());
    String why = bob.ocean("volume", "delete", "data").failsWithOneLine(3);
    assertTrue(why.contains("no volume named data"), why);

    // a job on someone else's volume reads the same as volume get/delete
    String job =
        bob.ocean(
                "job",
                "submit",
                "--name",
                "j",
                "--machine-type",
                "g1.small",
                "--image",
                "pytorch",
                "--volume",
                "data",
                "--",
                "true")
            .failsWithOneLine(3);
    assertEquals("you have no volume named data.", job);

    assertEquals("data", ada.ocean("volume", "list", "-q").ok().out().strip());
    // the same name is free for bob: names are per user
    bob.ocean("volume", "create", "data", "--size", "1").ok();
    ada.ocean("volume", "delete", "data").ok();
    assertEquals("data", bob.ocean("volume", "list", "-q").ok().out().strip());
  }

  @Test
  void usersNeverSeeEachOthersQuotaRequestsOrQuotas() {
    ada.ocean(
            "quota",
            "request",
            "--machine-type",
            "g1.small",
            "--count",
            "1",
            "--days",
            "3",
            "--reason",
            "secret project")
        .ok();
    cluster.grant("ada@example.com", "g1.small", 1, 3);

    assertEquals("", bob.ocean("quota", "requests", "--all", "-q").ok().out());
    assertTrue(
        bob.ocean("quota", "requests", "--all", "-o", "json")
            .json(QuotaCommand.REQUESTS)
            .isEmpty());
    assertEquals("", bob.ocean("quota", "list", "--all", "-q").ok().out());
    assertTrue(!bob.ocean("quota", "requests", "--all").out().contains("secret project"));
  }

  @Test
  void plainUsersAreRefusedEveryAdminCommand() {
    String[][] commands = {
      {"admin", "user", "list"},
      {"admin", "user", "promote", "bob@example.com"},
      {"admin", "quota-request", "list"},
      {"admin", "quota-request", "approve", "1"},
      {"admin", "quota", "list"},
      {
        "admin",
        "quota",
        "grant",
        "bob@example.com",
        "--machine-type",
        "g1.small",
        "--count",
        "1",
        "--days",
        "1"
      },
      {"admin", "machine-type", "create", "g2.big", "--cpus", "8", "--memory", "64", "--gpus", "2"},
      {"admin", "machine-type", "delete", "g1.small"},
      {"admin", "image", "add", "cuda", "nvidia/cuda:12.4.0-base-ubuntu22.04"},
      {"admin", "image", "remove", "pytorch"},
      {"admin", "audit"},
    };
    for (String[] command : commands) {
      String why = bob.ocean(command).failsWithOneLine(4);
      assertTrue(why.contains("admin"), String.join(" ", command) + ": " + why);
    }
    // nothing changed
    assertEquals("g1.small", bob.ocean("machine-type", "list", "-q").out().strip());
    assertEquals("pytorch", bob.ocean("image", "list", "-q").out().strip());
    assertEquals(
        "user", bob.ocean("whoami", "-o", "json").json(dev.ocean.common.api.User.class).role());
  }

  @Test
  void nobodyLoggedInIsToldToLogIn() {
    Ocean stranger = cluster.as("nobody@example.com");
    for (String[] command :
        new String[][] {{"volume", "list"}, {"quota", "list"}, {"admin", "audit"}}) {
      String why = stranger.ocean(command).failsWithOneLine(4);
      assertTrue(why.contains("ocean login"), why);
    }
  }
}
