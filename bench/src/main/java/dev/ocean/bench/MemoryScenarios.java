package dev.ocean.bench;

import dev.ocean.common.api.job.Job;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Scenario 7: the server's resident memory idle and loaded; a real agent's memory and CPU idle. */
final class MemoryScenarios {
  private MemoryScenarios() {}

  static void memory(Bench.Context c) throws Exception {
    int pending = c.knob("memory.pending", 1000);
    int simNodes = c.knob("memory.nodes", 1000);
    try (ServerProcess s = c.server("memory")) {
      SimCluster.sleep(10_000);
      c.results().row("memory", "server RSS idle", s.rssMib(), "MiB", "< 128", Map.of());
      s.grant(pending + 10);
      for (int i = 0; i < pending; i++) {
        s.http.post(s.adminAuth, "/jobs", ApiScenarios.submit("mem", 1), Job.class);
      }
      for (int i = 0; i < 20; i++) {
        s.http.get(s.adminAuth, "/jobs", Job[].class, Duration.ofSeconds(60));
      }
      c.results()
          .row(
              "memory",
              "server RSS, " + pending + " pending jobs",
              s.rssMib(),
              "MiB",
              "-",
              Map.of("pending", pending));
      try (SimCluster sim = new SimCluster(s, 0, 0)) {
        sim.heartbeat(Duration.ofSeconds(5));
        sim.register(simNodes, "m");
        SimCluster.sleep(15_000);
        c.results()
            .row(
                "memory",
                "server RSS, " + pending + " jobs + " + simNodes + " nodes",
                s.rssMib(),
                "MiB",
                "< 1024",
                Map.of("pending", pending, "nodes", simNodes));
      }
      SimCluster.sleep(c.knob("memory.settle", 30) * 1000L);
      c.results()
          .row("memory", "server RSS, after the load stopped", s.rssMib(), "MiB", "-", Map.of());

      Path dir = Files.createTempDirectory(c.work(), "agent-");
      ProcessBuilder pb =
          new ProcessBuilder(
                  c.dist().resolve("bin/ocean-agent").toString(),
                  "join",
                  "--server",
                  s.url,
                  "--token",
                  "-",
                  "--name",
                  "real0",
                  "--runtime",
                  "process",
                  "--state-dir",
                  dir.resolve("state").toString(),
                  "--storage",
                  s.storage().toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("agent.log").toFile());
      Process agent = pb.start();
      try {
        agent.getOutputStream().write((s.joinToken() + "\n").getBytes(StandardCharsets.UTF_8));
        agent.getOutputStream().close();
        SimCluster.sleep(20_000);
        double cpu0 = Proc.cpuSeconds(agent.pid());
        long t0 = System.nanoTime();
        SimCluster.sleep(c.knob("memory.agentSeconds", 30) * 1000L);
        double cpu = (Proc.cpuSeconds(agent.pid()) - cpu0) / ((System.nanoTime() - t0) / 1e9) * 100;
        double rss = Proc.rssMib(agent.pid());
        c.results()
            .row("memory", "agent RSS idle", rss, "MiB", "< 48", Map.of("alive", agent.isAlive()));
        c.results().row("memory", "agent CPU idle (% of a core)", cpu, "%", "< 0.5", Map.of());
      } finally {
        agent.destroy();
        agent.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }
}
