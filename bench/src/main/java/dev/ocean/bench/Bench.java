package dev.ocean.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated-cluster harness: runs the named scenarios (all when none is named) against real
 * {@code ocean-server} processes from the distribution, each on a fresh database, and prints one
 * row per figure. Started by {@code bench/run.sh}; see the README's Performance section.
 */
public final class Bench {
  /** What every scenario gets: where the distribution is, scratch space, results, database. */
  record Context(
      Path dist, Path work, Results results, String db, String pgUrl, Map<String, Integer> knobs) {
    private static int serial;

    /** A new server on a fresh database (SQLite file, or a new PostgreSQL database). */
    ServerProcess server(String name) throws Exception {
      String url = null;
      Path dir = Files.createTempDirectory(work, name + "-");
      if (pgUrl != null) {
        String dbName =
            "bench_"
                + name.replaceAll("\\W", "_")
                + "_"
                + (++serial)
                + "_"
                + ProcessHandle.current().pid();
        try (var c = DriverManager.getConnection(pgUrl.replace("/ocean?", "/postgres?"));
            var s = c.createStatement()) {
          s.execute("CREATE DATABASE " + dbName);
        }
        url = pgUrl.replace("/ocean?", "/" + dbName + "?");
      }
      return ServerProcess.start(dist, dir, url);
    }

    int knob(String name, int fallback) {
      return knobs.getOrDefault(name, fallback);
    }
  }

  /** A scenario: runs, prints its rows. */
  interface Scenario {
    void run(Context c) throws Exception;
  }

  private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

  static {
    SCENARIOS.put("api", ApiScenarios::submissions);
    SCENARIOS.put("script", ApiScenarios::scripting);
    SCENARIOS.put("list", ListScenario::list);
    SCENARIOS.put("sched", ClusterScenarios::scheduling);
    SCENARIOS.put("e2e", ClusterScenarios::endToEnd);
    SCENARIOS.put("heartbeat", ClusterScenarios::heartbeats);
    SCENARIOS.put("logs", LogScenarios::logs);
    SCENARIOS.put("memory", MemoryScenarios::memory);
  }

  private Bench() {}

  public static void main(String[] args) throws Exception {
    List<String> names = new ArrayList<>();
    Path work = null;
    Path dist = Path.of("dist/target/ocean");
    Path results = Path.of("bench/results");
    String db = "sqlite";
    String pgUrl = null;
    Map<String, Integer> knobs = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dist" -> dist = Path.of(args[++i]);
        case "--results" -> results = Path.of(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--pg-url" -> {
          pgUrl = args[++i];
          db = "postgres";
        }
        case "--set" -> {
          String[] kv = args[++i].split("=", 2);
          knobs.put(kv[0], Integer.parseInt(kv[1]));
        }
        default -> {
          if (!SCENARIOS.containsKey(args[i])) {
            System.err.println("unknown scenario '" + args[i] + "'; one of " + SCENARIOS.keySet());
            System.exit(2);
          }
          names.add(args[i]);
        }
      }
    }
    if (names.isEmpty()) {
      names.addAll(SCENARIOS.keySet());
    }
    if (work == null) {
      work = Files.createTempDirectory("ocean-bench-");
    }
    Context c =
        new Context(dist.toAbsolutePath(), work, new Results(results, db), db, pgUrl, knobs);
    System.out.printf(
        "machine: %d processors, %d MiB; database %s; Java %s%n",
        Runtime.getRuntime().availableProcessors(),
        Proc.memTotalMib(),
        db,
        System.getProperty("java.vm.version"));
    int failed = 0;
    for (String name : names) {
      try {
        SCENARIOS.get(name).run(c);
      } catch (Exception | AssertionError e) {
        failed++;
        System.out.println(name + ": FAILED " + e);
        e.printStackTrace();
      }
    }
    System.exit(failed == 0 ? 0 : 1);
  }
}
