package dev.ocean.server.job;

import dev.ocean.server.scheduler.Wait;
import java.util.Map;

/** Why each pending run waits, as of the scheduler's last pass; read by job views. */
public final class WaitBoard {
  private volatile Map<String, Wait> waits = Map.of();

  public void replace(Map<String, Wait> next) {
    waits = Map.copyOf(next);
  }

  public Wait get(long jobId, int run) {
    return waits.get(jobId + "-" + run);
  }

  public int size() {
    return waits.size();
  }
}
