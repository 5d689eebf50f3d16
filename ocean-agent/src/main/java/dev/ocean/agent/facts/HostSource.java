package dev.ocean.agent.facts;

import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;

/**
 * Where the agent learns about its host's CPUs, memory, disks, load and network, kept apart from
 * GPUs so each can be faked on its own in tests.
 *
 * <p>Unknown values are null in the records; implementations do not throw for a missing one.
 */
public interface HostSource {

  /** The host's static facts, with an empty GPU list. */
  NodeFacts facts();

  /** A reading of the host's load now, with an empty GPU list. */
  NodeMetrics sample();
}
