package dev.ocean.cli.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The process-runtime runs that outlive their agent: each run is its own session (so an agent
 * restart does not stop it), recorded by the agent as {@code <runId>.run} (job, pid, start time)
 * under its state directory. {@code ocean down} names them, since they keep running.
 */
final class SurvivingRuns {
  private SurvivingRuns() {}

  /** "JOB/RUN" of each recorded run under {@code agentState} whose process still runs. */
  static List<String> under(Path agentState) {
    if (!Files.isDirectory(agentState)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(agentState, 5)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".run"))
          .map(SurvivingRuns::alive)
          .filter(r -> r != null)
          .sorted()
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static String alive(Path record) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(record)) {
      p.load(in);
      long pid = Long.parseLong(p.getProperty("pid"));
      long started = Instant.parse(p.getProperty("startedAt")).toEpochMilli();
      // same pid and start time: not an unrelated process that got the pid later
      boolean running =
          ProcessHandle.of(pid)
              .filter(ProcessHandle::isAlive)
              .flatMap(h -> h.info().startInstant())
              .filter(s -> s.toEpochMilli() == started)
              .isPresent();
      return running ? p.getProperty("jobId") + "/" + p.getProperty("runIndex") : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
