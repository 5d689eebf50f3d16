package dev.ocean.agent.runtime.process;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@link ProcessRuntime} remembers of a started run in its state directory ({@code
 * <runId>.run}), enough to find the process again after an agent restart without mistaking a later
 * process that got the same pid for it.
 *
 * @param pid the wrapper shell's pid, which is also the run's process group and session id
 * @param startedAt when that process started, as the kernel reports it
 * @param ownWorkDir whether the working directory was made for this run (and goes with it)
 */
record RunRecord(
    String runId,
    long jobId,
    int runIndex,
    long pid,
    Instant startedAt,
    Path workDir,
    boolean ownWorkDir) {

  static Path fileOf(Path stateDir, String runId) {
    return stateDir.resolve(runId + ".run");
  }

  /** Writes the record atomically, so a crash leaves the old one or the new one. */
  void store(Path stateDir) throws IOException {
    Properties p = new Properties();
    p.setProperty("runId", runId);
    p.setProperty("jobId", Long.toString(jobId));
    p.setProperty("runIndex", Integer.toString(runIndex));
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("startedAt", startedAt.toString());
    p.setProperty("workDir", workDir.toString());
    p.setProperty("ownWorkDir", Boolean.toString(ownWorkDir));
    Path tmp = stateDir.resolve(runId + ".run.tmp");
    try (Writer out = Files.newBufferedWriter(tmp)) {
      p.store(out, "ocean-agent process run");
    }
    Files.move(tmp, fileOf(stateDir, runId), StandardCopyOption.ATOMIC_MOVE);
  }

  static RunRecord load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
    }
    return new RunRecord(
        p.getProperty("runId"),
        Long.parseLong(p.getProperty("jobId")),
        Integer.parseInt(p.getProperty("runIndex")),
        Long.parseLong(p.getProperty("pid")),
        Instant.parse(p.getProperty("startedAt")),
        Path.of(p.getProperty("workDir")),
        Boolean.parseBoolean(p.getProperty("ownWorkDir")));
  }

  /** The run's process if it is still alive: same pid and same start time. */
  Optional<ProcessHandle> liveProcess() {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            h ->
                h.info()
                    .startInstant()
                    .map(start -> start.toEpochMilli() == startedAt.toEpochMilli())
                    .orElse(false));
  }
}
