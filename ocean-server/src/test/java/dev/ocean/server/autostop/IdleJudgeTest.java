package dev.ocean.server.autostop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.server.autostop.IdleJudge.GpuReading;
import dev.ocean.server.autostop.IdleJudge.Signals;
import dev.ocean.server.autostop.IdleJudge.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The idle judge as a pure function: each signal alone keeps an instance alive. */
class IdleJudgeTest {
  private static final Instant START = Instant.parse("2030-01-01T10:00:00Z");

  /** Builds the judge's inputs: one GPU, idle stop 4 h, started at 10:00. */
  private static final class Given {
    Instant now = START;
    Duration idleStop = Duration.ofHours(4);
    List<Integer> gpus = List.of(0);
    final List<GpuReading> readings = new ArrayList<>();
    Instant gpuBusyAt;
    Instant lastConnection;
    int jobs;
    Instant extendedUntil;

    Given at(Duration sinceStart) {
      now = START.plus(sinceStart);
      return this;
    }

    /** GPU 0 reads {@code percent} now. */
    Given gpu(int percent) {
      readings.add(new GpuReading(now, 0, percent));
      return this;
    }

    Verdict judge() {
      return IdleJudge.judge(
          new Signals(
              now,
              idleStop,
              START,
              gpus,
              readings,
              gpuBusyAt,
              lastConnection,
              jobs,
              extendedUntil));
    }
  }

  @Test
  void allSignalsIdleStopsAtStartPlusIdleStopAndSaysWhy() {
    Given g = new Given().at(Duration.ofMinutes(198)).gpu(0);
    g.lastConnection = Instant.parse("2030-01-01T09:55:00Z");
    Verdict v = g.judge();
    assertEquals(START.plus(Duration.ofHours(4)), v.stopsAt());
    assertEquals(
        "stops in 42 min: GPU 0 % for 3 h 18 min, no connection since 09:55 UTC", v.summary());
    assertFalse(v.due(g.now));
    assertFalse(v.warn(g.now), "42 min before: not yet warned");
    assertTrue(g.at(Duration.ofMinutes(211)).gpu(0).judge().warn(g.now), "29 min before");
    assertTrue(g.at(Duration.ofHours(4)).gpu(0).judge().due(g.now));
  }

  @Test
  void aBusyGpuKeepsItAndRestartsTheIdleClock() {
    Given g = new Given().at(Duration.ofHours(3)).gpu(87);
    Verdict busy = g.judge();
    assertNull(busy.stopsAt());
    assertEquals("not idle: GPU 0 busy (87 %)", busy.summary());
    assertEquals(START.plus(Duration.ofHours(3)), busy.gpuBusyAt(), "kept for the next sweep");

    g.gpuBusyAt = busy.gpuBusyAt();
    g.readings.clear();
    Verdict after = g.at(Duration.ofHours(5)).gpu(2).judge();
    assertEquals(START.plus(Duration.ofHours(7)), after.stopsAt(), "idle since the last busy one");
    assertTrue(after.summary().startsWith("stops in 2 h: GPU 2 % for 2 h,"), after.summary());
  }

  @Test
  void aRecentConnectionKeepsIt() {
    Given g = new Given().at(Duration.ofHours(5)).gpu(0);
    g.lastConnection = g.now.minus(Duration.ofMinutes(1));
    assertEquals("not idle: connection active", g.judge().summary());
    g.lastConnection = g.now.minus(Duration.ofHours(1));
    assertEquals(START.plus(Duration.ofHours(8)), g.judge().stopsAt(), "idle since its last use");
  }

  @Test
  void aJobFromItKeepsIt() {
    Given g = new Given().at(Duration.ofHours(5)).gpu(0);
    g.jobs = 2;
    assertEquals("not idle: 2 jobs of yours run from it", g.judge().summary());
  }

  @Test
  void noRecentGpuReadingNeverStopsIt() {
    Given g = new Given().gpu(0).at(Duration.ofHours(5));
    assertEquals("not idle: no recent reading of GPU 0", g.judge().summary());
  }

  @Test
  void extendPushesTheStopLaterButNeverEarlier() {
    Given g = new Given().at(Duration.ofHours(3)).gpu(0);
    g.extendedUntil = START.plus(Duration.ofHours(9));
    Verdict v = g.judge();
    assertEquals(g.extendedUntil, v.stopsAt());
    assertTrue(v.summary().endsWith(", extended until 19:00 UTC"), v.summary());
    g.extendedUntil = START.plus(Duration.ofHours(1));
    assertEquals(START.plus(Duration.ofHours(4)), g.judge().stopsAt());
  }

  @Test
  void aCpuOnlyInstanceIsJudgedByConnectionsAndJobs() {
    Given g = new Given().at(Duration.ofHours(4));
    g.gpus = List.of();
    assertEquals("stops now: no connection since it started", g.judge().summary());
  }
}
