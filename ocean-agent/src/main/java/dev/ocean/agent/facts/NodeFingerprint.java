package dev.ocean.agent.facts;

import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import java.util.Map;
import java.util.Optional;

/**
 * Combines the host and GPU sources into the facts the agent registers with and the metrics it
 * sends with each heartbeat, like Nomad's fingerprint manager.
 *
 * <p>Safe to call from several threads; neither method throws for a missing or broken source.
 */
public final class NodeFingerprint {

  private final HostSource host;
  private final GpuSource gpus;

  /** A fingerprint made of the given sources. */
  public NodeFingerprint(HostSource host, GpuSource gpus) {
    this.host = host;
    this.gpus = gpus;
  }

  /**
   * A fingerprint of this machine: {@code /proc} for the host, and the {@code nvidia-smi} found on
   * {@code env}'s {@code PATH} (pass {@code System.getenv()}) for GPUs.
   */
  public static NodeFingerprint ofThisMachine(Map<String, String> env) {
    return new NodeFingerprint(new ProcHostSource(), new NvidiaSmiGpuSource(env));
  }

  /** What the node is made of, for registration; runs nvidia-smi once. */
  public NodeFacts facts() {
    return host.facts().withGpus(gpus.detect());
  }

  /** How busy the node is now, for a heartbeat; runs nvidia-smi twice (GPUs, then processes). */
  public NodeMetrics metrics() {
    return host.sample().withGpus(gpus.sample());
  }

  /** Why the latest facts or metrics had no GPUs, e.g. "nvidia-smi not found on PATH". */
  public Optional<String> gpuProblem() {
    return gpus.problem();
  }

  /** The text {@code ocean-agent gpus} prints: freshly detected facts, see {@link FactsReport}. */
  public String report() {
    NodeFacts facts = facts();
    return FactsReport.render(facts, gpuProblem().orElse(null));
  }
}
