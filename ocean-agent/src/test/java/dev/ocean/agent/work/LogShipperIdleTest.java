package dev.ocean.agent.work;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.runtime.SpoolLogSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent with no run to follow does not wake up to poll spools, and still ships at once. */
class LogShipperIdleTest {
  @TempDir Path spool;

  @Test
  void idleShipperSleepsUntilARunStartsThenShipsItsWholeLog() throws Exception {
    WorkTiming everyFiveMillis =
        new WorkTiming(
            Duration.ofSeconds(1),
            Duration.ofMillis(5),
            Duration.ofMillis(50),
            Duration.ofMillis(200),
            Duration.ofSeconds(2),
            Duration.ofMillis(50));
    try (FakeOceanServer server = new FakeOceanServer();
        LogShipper shipper =
            new LogShipper(
                    new WorkApi(
                        AgentDaemon.agentClient(server.url(), FakeOceanServer.CREDENTIAL),
                        Duration.ofSeconds(5)),
                    spool,
                    everyFiveMillis)
                .start()) {
      // Polling every 5 ms would make ~100 rounds in this half second; idle, it makes one.
      Thread.sleep(500);
      assertTrue(shipper.rounds() <= 2, "rounds while idle: " + shipper.rounds());

      String runId = "7-0";
      byte[] log = "a line\n".repeat(50_000).getBytes(StandardCharsets.UTF_8);
      Files.write(SpoolLogSink.fileOf(spool, runId), log);
      shipper.finish(runId).get(20, TimeUnit.SECONDS);
      assertArrayEquals(log, server.log(runId));
    }
  }
}
