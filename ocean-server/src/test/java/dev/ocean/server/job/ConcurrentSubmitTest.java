package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Problem;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import dev.ocean.server.store.TestStorage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Submissions that arrive together share one commit (group commit): each must still land exactly
 * once with its own id, get its own refusal, and never take the user over their quota.
 */
class ConcurrentSubmitTest {
  private static final int CLIENTS = 48;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void concurrentSubmissionsEachLandOnceAndABadOneIsRefusedAlone(TestStorage storage)
      throws Exception {
    try (OceanServer server = start(storage, "submit_burst")) {
      OceanClient admin = setUp(server, 1000);
      List<Object> answers =
          burst(i -> i == CLIENTS / 2 ? "no-such-image" : "busybox", admin, CLIENTS);

      List<Job> landed = new ArrayList<>();
      List<Problem> refused = new ArrayList<>();
      for (Object a : answers) {
        if (a instanceof Job j) {
          landed.add(j);
        } else {
          refused.add((Problem) a);
        }
      }
      assertEquals(1, refused.size(), "only the submission naming an unknown image fails");
      assertEquals(404, refused.getFirst().status());
      assertEquals("image", refused.getFirst().field());
      assertEquals(CLIENTS - 1, landed.size());
      assertEquals(
          CLIENTS - 1, landed.stream().map(Job::id).distinct().count(), "every job its own id");
      for (Job j : landed) {
        Job stored = admin.get("/jobs/" + j.id(), Job.class);
        assertEquals(withoutWaits(stored), withoutWaits(j), "each caller got its job as stored");
      }
      Job[] listed = admin.get("/jobs", Job[].class);
      assertEquals(CLIENTS - 1, listed.length, "no job lost or stored twice");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void concurrentSubmissionsNeverExceedTheQuota(TestStorage storage) throws Exception {
    int quota = 5;
    try (OceanServer server = start(storage, "submit_quota")) {
      OceanClient admin = setUp(server, quota);
      List<Object> answers = burst(i -> "busybox", admin, CLIENTS);

      long admitted = answers.stream().filter(a -> a instanceof Job).count();
      List<Problem> refused =
          answers.stream().filter(a -> a instanceof Problem).map(a -> (Problem) a).toList();
      assertEquals(quota, admitted, "exactly the quota is admitted");
      assertEquals(CLIENTS - quota, refused.size());
      for (Problem p : refused) {
        assertEquals(409, p.status(), p.detail());
        assertTrue(p.detail().contains("quota exceeded"), p.detail());
      }
      assertEquals(quota, admin.get("/jobs", Job[].class).length);
    }
  }

  /** The job without the scheduler's latest word on its waiting runs, which changes any time. */
  private static Job withoutWaits(Job j) {
    var runs =
        j.runs().stream()
            .map(
                r ->
                    new Run(
                        r.index(),
                        r.state(),
                        r.node(),
                        r.gpus(),
                        r.createdAt(),
                        r.startedAt(),
                        r.finishedAt(),
                        r.exitCode(),
                        r.reason(),
                        null,
                        null,
                        r.attempt(),
                        r.volumeDir()))
            .toList();
    return new Job(
        j.id(),
        j.name(),
        j.user(),
        j.machineType(),
        j.image(),
        j.volume(),
        j.command(),
        j.env(),
        j.reason(),
        j.repeat(),
        j.parallel(),
        j.state(),
        j.createdAt(),
        j.finishedAt(),
        j.exitCode(),
        runs,
        j.retries());
  }

  /** Submits from {@code n} threads at once; each answer is the Job or the refusal's problem. */
  private static List<Object> burst(Function<Integer, String> image, OceanClient client, int n)
      throws InterruptedException {
    Object[] answers = new Object[n];
    Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        int k = i;
        pool.submit(
            () -> {
              try {
                go.await();
                answers[k] =
                    client.post(
                        "/jobs",
                        new Job.Submit(
                            "burst-" + k,
                            "g1",
                            image.apply(k),
                            null,
                            List.of("true"),
                            Map.of(),
                            1,
                            1,
                            null,
                            null),
                        Job.class);
              } catch (OceanApiException e) {
                answers[k] = e.problem();
              } catch (Throwable e) {
                unexpected.add(e);
              }
            });
      }
      go.countDown();
    }
    assertEquals(List.of(), List.copyOf(unexpected));
    return List.of(answers);
  }

  private OceanServer start(TestStorage storage, String hint) throws java.io.IOException {
    return OceanServer.start(
        new ServerConfig(dir.resolve("data"))
            .port(0)
            .host("127.0.0.1")
            .bcryptCost(4)
            .dbUrl(storage.newUrl(dir, hint))
            .adminEmail("admin@example.com")
            .adminPassword("Admin123!x"),
        new PrintStream(PrintStream.nullOutputStream()));
  }

  private static OceanClient setUp(OceanServer server, int quota) {
    Session s =
        OceanClient.forUser(server.url(), null)
            .post("/auth/login", new Credentials("admin@example.com", "Admin123!x"), Session.class);
    OceanClient admin = OceanClient.forUser(server.url(), s.token());
    admin.post(
        "/machine-types",
        new MachineType.Create("g1", 1, 1, 1, "H100", null, null),
        MachineType.class);
    admin.post("/images", new Image.Create("busybox", "busybox:latest", null, null), Image.class);
    admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "g1", quota, 1), Quota.class);
    return admin;
  }
}
