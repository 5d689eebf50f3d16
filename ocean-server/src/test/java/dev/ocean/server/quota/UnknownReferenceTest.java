package dev.ocean.server.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.common.api.Quota;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Naming a user, machine type, image or volume that does not exist is a 404 naming the field. */
class UnknownReferenceTest {
  @TempDir Path dir;

  private static OceanApiException refused(Runnable call) {
    return assertThrows(OceanApiException.class, call::run);
  }

  @Test
  void grantingAQuotaToAnUnknownUserIsNotFoundNamingTheEmail() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      var e =
          refused(
              () ->
                  c.admin.post(
                      "/admin/quotas", new Quota.Grant("unknown@x.org", "g1", 1, 1), Quota.class));
      assertEquals(404, e.status());
      assertEquals("email", e.problem().field());

      var type =
          refused(
              () ->
                  c.admin.post(
                      "/admin/quotas",
                      new Quota.Grant("admin@example.com", "nope", 1, 1),
                      Quota.class));
      assertEquals(404, type.status());
      assertEquals("machineType", type.problem().field());
    }
  }

  @Test
  void submittingWithAnUnknownImageOrVolumeIsNotFoundNamingTheField() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      var image =
          refused(
              () ->
                  c.admin.post(
                      "/jobs",
                      new Job.Submit(
                          "j", "g1", "nope", null, List.of("true"), Map.of(), 1, 1, null, null),
                      Job.class));
      assertEquals(404, image.status());
      assertEquals("image", image.problem().field());
      var volume = refused(() -> c.submit("j", "missing", 1));
      assertEquals(404, volume.status());
      assertEquals("volume", volume.problem().field());
      var malformed = refused(() -> c.submit("j", null, -1));
      assertEquals(400, malformed.status(), "a malformed value stays a 400");
    }
  }
}
