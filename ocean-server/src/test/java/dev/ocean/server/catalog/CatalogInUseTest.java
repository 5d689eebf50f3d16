package dev.ocean.server.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.QuotaRequest;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images and machine types stay in the catalogue while active jobs use them. */
class CatalogInUseTest {
  @TempDir Path dir;

  @Test
  void anImageARunningJobUsesIsNotRemovedUntilTheJobEnds() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      Job job = c.submit("busy", null, 1);
      var run = c.next();
      c.report(run.runId(), "running", null);

      var e = assertThrows(OceanApiException.class, () -> c.admin.delete("/images/busybox"));

      assertEquals(409, e.status());
      assertTrue(e.problem().detail().contains("job " + job.id()), e.problem().detail());
      assertEquals(1, c.admin.get("/images", new TypeReference<List<Image>>() {}).size());
      c.report(run.runId(), "succeeded", 0);
      c.admin.delete("/images/busybox");
      assertTrue(c.admin.get("/images", new TypeReference<List<Image>>() {}).isEmpty());
      assertEquals("busybox", c.job(job.id()).image(), "the ended job keeps its history");
    }
  }

  @Test
  void aMachineTypeAPendingJobUsesIsNotDeletedAndTheAnswerNamesTheJob() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      Job job = c.submit("queued", null, 1);

      var e = assertThrows(OceanApiException.class, () -> c.admin.delete("/machine-types/g1"));

      assertEquals(409, e.status());
      assertTrue(e.problem().detail().contains("job " + job.id()), e.problem().detail());
      assertEquals(
          1, c.admin.get("/machine-types", new TypeReference<List<MachineType>>() {}).size());
    }
  }

  @Test
  void aMachineTypeHeldOnlyByAQuotaAndARequestIsNotDeletedAndTheAnswerNamesBoth() throws Exception {
    // qa7 K9: "still referenced by active quotas, pending requests or running work": which?
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      c.admin.post(
          "/machine-types",
          new MachineType.Create("m3", 1, 1, 0, null, null, null),
          MachineType.class);
      c.admin.post(
          "/admin/users",
          new dev.ocean.common.api.User.Create("bo@example.com", "Bo-pass-123!", false),
          Object.class);
      Quota q =
          c.admin.post("/admin/quotas", new Quota.Grant("bo@example.com", "m3", 1, 1), Quota.class);
      QuotaRequest r =
          c.login("bo@example.com", "Bo-pass-123!")
              .post(
                  "/quota-requests",
                  new QuotaRequest.Create("m3", 1, 1, "more"),
                  QuotaRequest.class);

      var e = assertThrows(OceanApiException.class, () -> c.admin.delete("/machine-types/m3"));

      assertEquals(409, e.status());
      assertEquals(
          "machine type m3 is still referenced by quota "
              + q.id()
              + " of bo@example.com (`ocean admin quota revoke "
              + q.id()
              + "`), pending quota request "
              + r.id()
              + " of bo@example.com (`ocean admin quota-request reject "
              + r.id()
              + " --note TEXT`); clear them first",
          e.problem().detail());
      c.admin.post("/admin/quotas/" + q.id() + "/revoke", null, Quota.class);
      c.admin.post(
          "/admin/quota-requests/" + r.id() + "/reject",
          new QuotaRequest.Decision("no"),
          QuotaRequest.class);
      c.admin.delete("/machine-types/m3");
    }
  }
}
