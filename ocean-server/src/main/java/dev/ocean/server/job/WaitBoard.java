package dev.ocean.server.job;

import dev.ocean.server.scheduler.Wait;
import java.util.HashMap;
import java.util.Map;

/** Why each pending run waits, as of the scheduler's last pass; read by job views. */
public final class WaitBoard {
  /** A run, as the board is looked up: no key text built for every pending run of a list. */
  private record RunKey(long jobId, int run) {}

  private volatile Map<RunKey, Wait> waits = Map.of();

  public void replace(Map<String, Wait> next) {
    Map<RunKey, Wait> byRun = new HashMap<>(next.size() * 4 / 3 + 1);
    for (Wait w : next.values()) {
      byRun.put(new RunKey(w.jobId(), w.runIndex()), w);
    }
    waits = byRun;
  }

  public Wait get(long jobId, int run) {
    return waits.get(new RunKey(jobId, run));
  }

  public int size() {
    return waits.size();
  }
}
