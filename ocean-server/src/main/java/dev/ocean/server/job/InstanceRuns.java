package dev.ocean.server.job;

import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.common.api.instance.InstanceSpec;
import org.jdbi.v3.core.Handle;

/**
 * How the runs of hidden jobs of kind {@code instance} reach the instance they belong to. The job
 * package calls it inside the transaction that changed the run, so the instance row never lags
 * behind its current run; the instance package implements it.
 */
public interface InstanceRuns {
  /** The job of kind {@code instance} had one of its runs change: bring the instance in step. */
  void settled(Handle h, long jobId);

  /** The agent reported where users reach the run ({@code running} report). */
  void reached(Handle h, long jobId, int run, InstanceEndpoints endpoints);

  /** What the agent needs to start the instance's run, or null when it is gone. */
  InstanceSpec spec(Handle h, long jobId);

  /** Used until the instance package plugs in: instances do not exist. */
  InstanceRuns NONE =
      new InstanceRuns() {
        @Override
        public void settled(Handle h, long jobId) {}

        @Override
        public void reached(Handle h, long jobId, int run, InstanceEndpoints endpoints) {}

        @Override
        public InstanceSpec spec(Handle h, long jobId) {
          return null;
        }
      };
}
