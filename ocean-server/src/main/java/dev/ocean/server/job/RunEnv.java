package dev.ocean.server.job;

import dev.ocean.common.api.agent.RunId;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Variables added to a run's environment when it is handed to its agent, such as the workload token
 * the run's {@code ocean} uses ({@code OCEAN_TOKEN}).
 */
@FunctionalInterface
public interface RunEnv {
  RunEnv NONE = (h, run) -> Map.of();

  /** The variables for {@code run} (with its attempt), inside the hand-out's handle. */
  Map<String, String> forRun(Handle h, RunId run);
}
