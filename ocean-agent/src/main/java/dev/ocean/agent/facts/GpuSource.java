package dev.ocean.agent.facts;

import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.GpuSample;
import java.util.List;
import java.util.Optional;

/**
 * Where the agent learns which GPUs its node has and how busy they are; one implementation per
 * vendor tool, so the rest of the agent never runs one itself.
 *
 * <p>Implementations never throw for a broken or missing tool: they answer with no GPUs and say why
 * in {@link #problem()}, because a node without working GPUs is still a useful CPU node.
 */
public interface GpuSource {

  /** The node's GPUs in index order; empty when there are none or they cannot be listed. */
  List<GpuInfo> detect();

  /** A reading of every GPU with its compute processes; empty when none can be read. */
  List<GpuSample> sample();

  /**
   * Why the latest {@link #detect()} or {@link #sample()} found no GPUs, in words for a person
   * (e.g. "nvidia-smi not found on PATH"); empty when it worked.
   */
  default Optional<String> problem() {
    return Optional.empty();
  }
}
