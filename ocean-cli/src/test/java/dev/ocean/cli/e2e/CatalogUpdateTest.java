package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admins change machine types and images in place; users cannot; bad changes change nothing. */
class CatalogUpdateTest {
  @TempDir java.nio.file.Path dir;
  TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void adminChangesOnlyTheFieldsGiven() {
    Ocean admin = cluster.admin();
    admin
        .ocean(
            "admin",
            "machine-type",
            "create",
            "gpu.box",
            "--cpus",
            "4",
            "--memory",
            "32",
            "--gpus",
            "1",
            "--gpu-model",
            "H100")
        .ok();
    MachineType m =
        admin
            .ocean("admin", "machine-type", "update", "gpu.box", "--gpus", "2", "-o", "json")
            .json(MachineType.class);
    assertEquals(4, m.cpus());
    assertEquals(32, m.memoryGib());
    assertEquals(2, m.gpus());
    assertEquals("H100", m.gpuModel());
    MachineType cleared =
        admin
            .ocean("admin", "machine-type", "update", "gpu.box", "--gpu-model", "", "-o", "json")
            .json(MachineType.class);
    assertNull(cleared.gpuModel());
    admin.ocean("admin", "machine-type", "update", "gpu.box", "--gpu-model", "H100").ok();
    // no GPUs have no model: --gpus 0 alone clears it, instead of a complaint about --gpu-model
    MachineType cpuOnly =
        admin
            .ocean("admin", "machine-type", "update", "gpu.box", "--gpus", "0", "-o", "json")
            .json(MachineType.class);
    assertEquals(0, cpuOnly.gpus());
    assertNull(cpuOnly.gpuModel());
    // an update that names nothing to change is a mistake, not a success (qa7 K9)
    assertEquals(
        "nothing to change: give --cpus, --memory, --gpus, --gpu-model, --idle-stop or"
            + " --idle-extend-max.",
        admin.ocean("admin", "machine-type", "update", "gpu.box").failsWithOneLine(2));
    assertEquals(
        "nothing to change: give --reference or --description.",
        admin.ocean("admin", "image", "update", "pytorch").failsWithOneLine(2));

    admin
        .ocean("admin", "image", "add", "torch", "pytorch/pytorch:2.4.0", "--description", "old")
        .ok();
    Image i =
        admin
            .ocean(
                "admin",
                "image",
                "update",
                "torch",
                "--reference",
                "pytorch/pytorch:2.5.1",
                "-o",
                "json")
            .json(Image.class);
    assertEquals("pytorch/pytorch:2.5.1", i.reference());
    assertEquals("old", i.description());
    assertTrue(admin.ocean("admin", "audit").ok().out().contains("machine-type.update"));
  }

  @Test
  void creatingWhatExistsAsGivenIsDoneAndOtherValuesAreAConflict() {
    Ocean admin = cluster.admin();
    String[] type = {
      "admin", "machine-type", "create", "c2", "--cpus", "2", "--memory", "4", "--gpus", "0"
    };
    admin.ocean(type).ok();
    Run again = admin.ocean(type).ok();
    assertTrue(again.err().contains("Machine type c2 already exists as given"), again.err());
    String other =
        admin
            .ocean(
                "admin",
                "machine-type",
                "create",
                "c2",
                "--cpus",
                "3",
                "--memory",
                "4",
                "--gpus",
                "0")
            .failsWithOneLine(5);
    assertTrue(other.contains("already exists with other values (2 CPUs, not 3)"), other);
    String one =
        admin
            .ocean(
                "admin",
                "machine-type",
                "create",
                "c1",
                "--cpus",
                "1",
                "--memory",
                "1",
                "--gpus",
                "0")
            .ok()
            .err();
    String oneAgain =
        admin
            .ocean(
                "admin",
                "machine-type",
                "create",
                "c1",
                "--cpus",
                "2",
                "--memory",
                "1",
                "--gpus",
                "0")
            .failsWithOneLine(5);
    assertTrue(oneAgain.contains("(1 CPU, not 2)"), one + oneAgain);
    // qa11 T7: only the idle settings differ; the message listed the same values as typed
    String idle =
        admin
            .ocean(
                "admin",
                "machine-type",
                "create",
                "c1",
                "--cpus",
                "1",
                "--memory",
                "1",
                "--gpus",
                "0",
                "--idle-stop",
                "2",
                "--idle-extend-max",
                "1")
            .failsWithOneLine(5);
    assertTrue(
        idle.contains(
            "already exists with other values (idle stop off, not 2 h; idle extend max off, not"
                + " 1 h); change it with `ocean admin machine-type update c1`"),
        idle);
    String updated =
        admin.ocean("admin", "machine-type", "update", "c1", "--cpus", "64").ok().err();
    assertTrue(updated.contains("now gives 64 CPUs, 1 GiB, 0 GPUs"), updated);
    assertTrue(other.contains("ocean admin machine-type update c2"), other);

    String[] image = {"admin", "image", "add", "bare", "local/host", "--host"};
    admin.ocean(image).ok();
    assertTrue(admin.ocean(image).ok().err().contains("Image bare already exists as given"));
    String moved = admin.ocean("admin", "image", "add", "bare", "busybox:1").failsWithOneLine(5);
    assertTrue(moved.contains("already exists as local/host"), moved);
    assertEquals(
        "Image bare updated: description \"GPU box\".",
        admin
            .ocean("admin", "image", "update", "bare", "--description", "GPU box")
            .ok()
            .err()
            .strip(),
        "says what changed, not the reference it kept");
  }

  @Test
  void badOrForbiddenChangesChangeNothing() {
    Ocean admin = cluster.admin();
    admin
        .ocean(
            "admin",
            "machine-type",
            "create",
            "cpu.box",
            "--cpus",
            "2",
            "--memory",
            "4",
            "--gpus",
            "0")
        .ok();
    admin.ocean("admin", "machine-type", "update", "cpu.box", "--cpus", "-1").fails(2);
    admin.ocean("admin", "machine-type", "update", "cpu.box", "--gpu-model", "H100").fails(2);
    admin.ocean("admin", "machine-type", "update", "nope", "--cpus", "1").fails(3);
    admin.ocean("admin", "image", "update", "nope", "--description", "x").fails(3);
    cluster
        .user("ada@example.com")
        .ocean("admin", "machine-type", "update", "cpu.box", "--cpus", "1")
        .fails(4);
    String listed = admin.ocean("machine-type", "list").ok().out();
    assertTrue(listed.lines().anyMatch(l -> l.startsWith("cpu.box") && l.contains(" 2 ")), listed);
  }
}
