package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an admin meets when the catalogue entry or the address typed cannot work: refused or warned
 * at once, in a sentence that says why (qa7 K9).
 */
class CatalogChecksTest {
  @TempDir Path dir;
  TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void anImageWithCapitalsInItsRepositoryNameIsRefusedAndATagMayHaveThem() {
    Ocean admin = cluster.admin();

    String why = admin.ocean("admin", "image", "add", "bb4", "UPPER/Case:tag").failsWithOneLine(2);
    admin.ocean("admin", "image", "add", "bb5", "ghcr.io/org/name:V1.0").ok();
    String digest = "sha256:" + "0123456789abcdef".repeat(4);
    admin.ocean("admin", "image", "add", "bb6", "localhost:5000/team/app@" + digest).ok();
    // qa11 T8: a digest that cannot be one failed only at pull time, as a failed run
    String short_ =
        admin
            .ocean("admin", "image", "add", "py4", "pytorch/pytorch@sha256:abc")
            .failsWithOneLine(2);

    assertTrue(why.contains("repository name 'UPPER/Case' has capitals"), why);
    assertTrue(
        short_.contains("digest 'sha256:abc' is not sha256: and 64 lower-case hex digits"), short_);
    assertEquals("bb5\nbb6", admin.ocean("image", "list", "-q").ok().out().strip());
  }

  @Test
  void aMachineTypeNoNodeCanHoldIsCreatedWithAWarning() {
    Ocean admin = cluster.admin();
    // before any node joined, nothing to compare with (set-up scripts define types first)
    Run early =
        admin.ocean(
            "admin",
            "machine-type",
            "create",
            "huge",
            "--cpus",
            "64",
            "--memory",
            "1",
            "--gpus",
            "0");
    new FakeAgent(cluster, "gpu1"); // 8 CPUs, 64 GiB, one H100

    Run big =
        admin.ocean(
            "admin",
            "machine-type",
            "create",
            "big",
            "--cpus",
            "64",
            "--memory",
            "1",
            "--gpus",
            "0");
    Run fits =
        admin.ocean(
            "admin",
            "machine-type",
            "create",
            "fits",
            "--cpus",
            "8",
            "--memory",
            "64",
            "--gpus",
            "1",
            "--gpu-model",
            "h100");

    early.ok();
    assertFalse(early.err().contains("Warning"), early.toString());
    big.ok();
    assertEquals(
        "Machine type big created.\n"
            + "Warning: no node of this cluster can hold machine type big (64 CPUs, 1 GiB, 0 GPUs);"
            + " the largest node has 8 CPUs, 64 GiB, 1 GPU; its jobs and instances wait until a"
            + " node that big joins.\n",
        big.err());
    fits.ok();
    assertFalse(fits.err().contains("Warning"), fits.toString());
  }

  @Test
  void theWarningGivesTheLargestNodesMemoryAsItIsNotFloored() {
    Ocean admin = cluster.admin();
    new FakeAgent(cluster, "n23", 47L << 29); // 23.5 GiB, which `node list` shows as 24 GiB

    Run big =
        admin.ocean(
            "admin",
            "machine-type",
            "create",
            "m24",
            "--cpus",
            "1",
            "--memory",
            "24",
            "--gpus",
            "0");

    big.ok();
    assertTrue(big.err().contains("the largest node has 8 CPUs, 23.5 GiB, 1 GPU;"), big.toString());
  }

  @Test
  void aServerAddressEndingInApiSaysToGiveTheServersRoot() {
    Ocean admin = cluster.admin();

    String why = admin.ocean("--server", cluster.url() + "/api", "whoami").failsWithOneLine(2);

    assertEquals(
        "--server: '"
            + cluster.url()
            + "/api' should be the server's root, "
            + cluster.url()
            + ", without /api.",
        why);
  }
}
