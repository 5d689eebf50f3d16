package dev.ocean.server.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submissions remember the machine types and images they name for a moment; a change an admin makes
 * is what the very next submission gets all the same.
 */
class CatalogChangeTest {
  @TempDir Path dir;

  private static void finish(ScriptedCluster c, Assignment a) {
    c.report(a.runId(), "running", null);
    c.report(a.runId(), "succeeded", 0);
  }

  @Test
  void theSubmissionAfterAnUpdateGetsTheNewImageAndShape() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      c.submit("first", null, 1);
      Assignment first = c.next();
      assertEquals("busybox:latest", first.image());
      assertEquals(1, first.cpus());
      finish(c, first);

      c.admin.patch(
          "/images/busybox", new Image.Create(null, "busybox:1.37", null, null), Image.class);
      c.admin.patch(
          "/machine-types/g1",
          new MachineType.Create(null, 2, null, null, null, null, null),
          MachineType.class);
      c.submit("second", null, 1);
      Assignment second = c.next();

      assertEquals("busybox:1.37", second.image());
      assertEquals(2, second.cpus());
    }
  }

  @Test
  void theSubmissionAfterARemovalIsRefusedNamingTheField() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      c.submit("first", null, 1);
      finish(c, c.next());

      c.admin.delete("/images/busybox");
      var e = assertThrows(OceanApiException.class, () -> c.submit("second", null, 1));

      assertEquals(404, e.status());
      assertEquals("image", e.problem().field());
    }
  }
}
