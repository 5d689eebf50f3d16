package dev.ocean.server.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.Volume;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Deleting a volume: refused while active work uses it, allowed once that work has ended. */
class VolumeDeleteTest {
  private static final TypeReference<List<Volume>> LIST = new TypeReference<>() {};

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aVolumeThatFinishedJobsUsedCanBeDeletedAndTheJobsKeepItsName(TestStorage storage)
      throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      c.admin.post("/volumes", new Volume.Create("data", 1), Volume.class);
      Job job = c.submit("uses-data", "data", 1);
      var run = c.next();
      c.report(run.runId(), "running", null);
      c.report(run.runId(), "succeeded", 0);

      c.admin.delete("/volumes/data");

      assertTrue(c.admin.get("/volumes", LIST).isEmpty());
      assertFalse(Files.exists(dir.resolve("storage/volumes/1/data")), "its files are gone");
      Job after = c.job(job.id());
      assertEquals("succeeded", after.state());
      assertEquals("data", after.volume(), "the job's history still names the volume");
      c.admin.post("/volumes", new Volume.Create("data", 2), Volume.class);
      assertEquals(2, c.admin.get("/volumes", LIST).getFirst().sizeGib());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aVolumeAnActiveJobMountsIsRefusedWithAConflictNamingTheJob(TestStorage storage)
      throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      c.admin.post("/volumes", new Volume.Create("data", 1), Volume.class);
      Job job = c.submit("busy", "data", 1);
      var run = c.next();

      var e = assertThrows(OceanApiException.class, () -> c.admin.delete("/volumes/data"));

      assertEquals(409, e.status());
      assertTrue(e.problem().detail().contains("job " + job.id()), e.problem().detail());
      assertEquals(1, c.admin.get("/volumes", LIST).size());
      c.admin.post("/jobs/" + job.id() + "/cancel", null, Job.class);
      c.report(run.runId(), "cancelled", 143);
      c.admin.delete("/volumes/data");
      assertTrue(c.admin.get("/volumes", LIST).isEmpty());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aVolumeAnInstanceHoldsIsRefusedNamingTheInstanceAndHowToFreeIt(TestStorage storage)
      throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      c.admin.post("/volumes", new Volume.Create("data", 1), Volume.class);
      c.admin.post(
          "/instances",
          new dev.ocean.common.api.instance.Instance.Create("dev", "g1", "busybox", "data", null),
          Object.class);

      var e = assertThrows(OceanApiException.class, () -> c.admin.delete("/volumes/data"));

      assertEquals(409, e.status());
      assertEquals(
          "volume data is in use by instance dev; delete the instance first (`ocean instance"
              + " delete dev`; the volume stays), then the volume",
          e.problem().detail());
    }
  }
}
