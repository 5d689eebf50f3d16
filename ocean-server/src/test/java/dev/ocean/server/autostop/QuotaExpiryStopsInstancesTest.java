package dev.ocean.server.autostop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.server.store.TestStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** When a quota expires, the owner's instances its remaining quota does not cover are stopped. */
class QuotaExpiryStopsInstancesTest {
  @TempDir Path dir;
  private IdleCluster c;

  private void start(TestStorage storage) throws Exception {
    c = new IdleCluster(dir, storage);
    // idle stop off, so only the quota stops anything here
    c.admin.patch(
        "/machine-types/g1",
        new MachineType.Create(null, null, null, null, null, 0, null),
        MachineType.class);
  }

  @AfterEach
  void stop() {
    if (c != null) {
      c.close();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void theNewestInstancesBeyondTheRemainingQuotaAreStoppedWithTheReason(TestStorage storage)
      throws Exception {
    start(storage);
    // ada holds 8 units for 1 day (the fixture's grant) and 2 more for 3 days
    c.admin.post("/admin/quotas", new Quota.Grant("ada@example.com", "g1", 2, 3), Quota.class);
    IdleCluster.Started oldest = c.instance("oldest");
    c.advance(Duration.ofMinutes(1));
    IdleCluster.Started middle = c.instance("middle");
    c.advance(Duration.ofMinutes(1));
    IdleCluster.Started newest = c.instance("newest");

    c.server.sweepNow();
    assertEquals(List.of(), c.stops, "every instance is covered while the quota lasts");

    c.advance(Duration.ofHours(25));
    c.server.sweepNow();
    assertEquals(List.of(newest.id() + ": quota for g1 expired"), c.stops);
    assertEquals(List.of(newest.run().runId()), c.poll().stop(), "its container is stopped");

    c.server.sweepNow();
    assertEquals(1, c.stops.size(), "a stopped instance is not stopped again");
    List.of(oldest, middle)
        .forEach(
            i -> assertEquals(0, c.stops.stream().filter(s -> s.startsWith(i.id() + ":")).count()));
  }
}
