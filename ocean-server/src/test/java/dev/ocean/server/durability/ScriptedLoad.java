package dev.ocean.server.durability;

import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.client.OceanApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Mixed traffic against a {@link ScriptedCluster} on a thread of its own: submissions, the node
 * starting runs, shipping log lines and finishing runs. It records only what the server
 * acknowledged: the jobs it answered 201 for and, per run, the log bytes it answered for.
 */
public final class ScriptedLoad implements AutoCloseable {
  private final ScriptedCluster cluster;
  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stop;

  /** Jobs the server acknowledged. */
  public final Map<Long, Boolean> jobs = new ConcurrentHashMap<>();

  /** Per job (one run each): the log the server acknowledged so far. */
  public final Map<Long, String> logs = new ConcurrentHashMap<>();

  public ScriptedLoad(ScriptedCluster cluster) {
    this.cluster = cluster;
    this.thread = Thread.ofPlatform().name("scripted-load").start(this::run);
  }

  private void run() {
    Map<String, Integer> lines = new HashMap<>();
    int n = 0;
    try {
      while (!stop) {
        try {
          Job j = cluster.submit("load-" + n++);
          jobs.put(j.id(), true);
        } catch (OceanApiException e) {
          if (e.status() != 409) { // over quota until runs finish
            throw e;
          }
        }
        Work w = cluster.poll(new ArrayList<>(lines.keySet()));
        for (var a : w.start()) {
          cluster.report(a.runId(), "running", null);
          lines.put(a.runId(), 0);
        }
        for (String runId : List.copyOf(lines.keySet())) {
          long job = Long.parseLong(runId.substring(0, runId.indexOf('-')));
          int k = lines.get(runId);
          if (k >= 6) {
            cluster.report(runId, "succeeded", 0);
            lines.remove(runId);
            continue;
          }
          String acked = logs.getOrDefault(job, "");
          String line = "job " + job + " line " + k + "\n";
          long size = cluster.ship(runId, acked.length(), line.getBytes(StandardCharsets.UTF_8));
          if (size == acked.length() + line.length()) {
            logs.put(job, acked + line);
            lines.put(runId, k + 1);
          }
        }
      }
    } catch (Throwable t) {
      failure.set(t);
    }
  }

  /** A copy of what was acknowledged up to now. */
  public Map<Long, String> ackedLogs() {
    return Map.copyOf(logs);
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(30_000);
    if (failure.get() != null) {
      throw new AssertionError("the load failed", failure.get());
    }
  }
}
