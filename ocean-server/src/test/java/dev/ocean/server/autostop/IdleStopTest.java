package dev.ocean.server.autostop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.instance.Instance.IdleOutlook;
import dev.ocean.common.api.instance.InstanceExtend;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.store.TestStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Idle stop on a moved clock with GPU readings sent as heartbeats: an instance is stopped only when
 * its GPUs, connections and jobs are all idle for the machine type's idle stop (4 h here), its
 * owner is warned before, and {@code extend} is capped by the admin (6 h here).
 */
class IdleStopTest {
  @TempDir Path dir;
  private IdleCluster c;

  @BeforeEach
  void start() throws Exception {
    c = new IdleCluster(dir);
  }

  @AfterEach
  void stop() {
    c.close();
  }

  @Test
  void idleInstanceIsWarnedThenStoppedAndItsAgentToldToStopIt() throws Exception {
    IdleCluster.Started dev = c.instance("dev");

    c.advance(Duration.ofMinutes(3 * 60 + 40));
    c.server.sweepNow();
    assertEquals(List.of(), c.stops, "4 h have not passed");
    assertEquals(
        List.of("instance dev stops in 20 min (idle); ocean instance extend dev"),
        notices(c.ada),
        "the owner is warned on any API call");
    assertEquals(List.of(), notices(c.bob), "nobody else is");
    assertTrue(
        outlook(dev).summary().startsWith("stops in 20 min: GPU 0 % for 3 h 40 min, no connection"),
        outlook(dev).summary());

    c.advance(Duration.ofMinutes(21));
    c.server.sweepNow();
    assertEquals(List.of(dev.id() + ": idle for 4 h 1 min"), c.stops);
    assertEquals(
        List.of(dev.run().runId()), c.poll().stop(), "the agent is told to stop the container");
    assertEquals(List.of(), notices(c.ada), "no warning once it stopped");
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void anyOneLiveSignalKeepsAnInstanceRunning(TestStorage storage) throws Exception {
    if (storage == TestStorage.POSTGRES) {
      c.close();
      c = new IdleCluster(dir.resolve("pg"), storage);
    }
    IdleCluster.Started idle = c.instance("idle");
    IdleCluster.Started gpu = c.instance("gpu");
    IdleCluster.Started ssh = c.instance("ssh");
    IdleCluster.Started jobs = c.instance("jobs");

    // ocean job submit from inside "jobs", with the token its run got
    OceanClient inside = OceanClient.forUser(c.server.url(), jobs.run().env().get("OCEAN_TOKEN"));
    Job fromInside =
        inside.post(
            "/jobs",
            new Job.Submit(
                "train", "g1", "busybox", null, List.of("true"), Map.of(), 1, 1, null, null),
            Job.class);
    assertEquals(
        Long.valueOf(jobs.id()),
        c.jdbi.<Long, RuntimeException>withHandle(
            h ->
                h.createQuery("SELECT instance_id FROM jobs WHERE id = ?")
                    .bind(0, fromInside.id())
                    .mapTo(Long.class)
                    .one()),
        "a job submitted from an instance records it");

    int busyGpu = gpu.run().gpus().getFirst();
    c.advance(Duration.ofHours(4));
    c.utilisation.put(busyGpu, 87);
    c.advance(Duration.ofMinutes(1));
    c.jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE instances SET last_activity_at = ? WHERE id = ?")
                .bind(0, c.clock.millis() - 60_000)
                .bind(1, ssh.id())
                .execute());
    c.server.sweepNow();

    assertEquals(List.of(idle.id() + ": idle for 4 h 1 min"), c.stops, "only the idle one");
    assertEquals("not idle: GPU " + busyGpu + " busy (87 %)", outlook(gpu).summary());
    assertEquals("not idle: connection active", outlook(ssh).summary());
    assertEquals("not idle: a job of yours runs from it", outlook(jobs).summary());
  }

  @Test
  void extendIsCappedByTheAdmin() throws Exception {
    IdleCluster.Started dev = c.instance("dev");
    c.advance(Duration.ofMinutes(3 * 60 + 50));
    c.server.sweepNow();
    Instant asked = c.clock.instant();

    InstanceExtend.Result r =
        c.ada.post("/instances/dev/extend", new InstanceExtend(10), InstanceExtend.Result.class);
    assertTrue(r.capped(), r.toString());
    assertEquals(6, r.capHours());
    assertEquals(asked.plus(Duration.ofHours(6)), r.extendedUntil());
    assertEquals(asked.plus(Duration.ofHours(6)), r.idle().stopsAt());
    assertTrue(r.message().contains("the admin allows at most 6 h from now"), r.message());

    OceanApiException notMine =
        assertThrows(
            OceanApiException.class,
            () -> c.bob.post("/instances/dev/extend", null, InstanceExtend.Result.class));
    assertEquals(404, notMine.status(), "another user's instance is not found");
    OceanApiException notAdmin =
        assertThrows(
            OceanApiException.class,
            () ->
                c.bob.post(
                    "/instances/dev/extend?user=ada@example.com",
                    null,
                    InstanceExtend.Result.class));
    assertEquals(403, notAdmin.status(), "only admins name another user");
    assertEquals(
        asked.plus(Duration.ofHours(1)),
        c.admin
            .post(
                "/instances/dev/extend?user=ada@example.com",
                new InstanceExtend(1),
                InstanceExtend.Result.class)
            .extendedUntil(),
        "an admin extends anyone's instance (here: shorter, as admins may)");
    c.ada.post("/instances/dev/extend", new InstanceExtend(10), InstanceExtend.Result.class);
    OceanApiException zero =
        assertThrows(
            OceanApiException.class,
            () ->
                c.ada.post(
                    "/instances/dev/extend", new InstanceExtend(0), InstanceExtend.Result.class));
    assertEquals(400, zero.status());
    assertEquals("hours", zero.problem().field());

    c.advance(Duration.ofMinutes(30));
    c.server.sweepNow();
    assertEquals(List.of(), c.stops, "past the idle stop, but extended");
    for (int i = 0; i < 11; i++) {
      c.advance(Duration.ofMinutes(30));
    }
    c.server.sweepNow();
    assertEquals(List.of(dev.id() + ": idle for 9 h 50 min"), c.stops, "stopped at the cap");
  }

  private List<String> notices(OceanClient who) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(c.server.url() + "/api/v1/jobs"))
                    .header("Authorization", "Bearer " + c.tokens.get(who))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.headers().allValues(IdleController.NOTICE);
  }

  private IdleOutlook outlook(IdleCluster.Started i) {
    return c.jdbi.withHandle(h -> c.server.idle().outlook(h, i.id()));
  }
}
