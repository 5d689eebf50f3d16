package dev.ocean.server.node;

import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.RuntimeInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a ready node cannot take work, read from what its agent reported: its runtime is down, or its
 * GPUs cannot reach containers, or some GPUs are broken. The scheduler and {@code node list} both
 * ask here, so the list says exactly why the scheduler passes a node by.
 */
public final class NodeHealth {
  /** Why jobs with a volume pass the node by (CPU and GPU jobs without one still go there). */
  public static final String NO_VOLUME_STORAGE =
      "no volume storage: jobs with a volume go elsewhere (ocean-agent join --storage)";

  private NodeHealth() {}

  /**
   * Why a lost node takes no work: no heartbeat since {@code lastSeen}, so its agent stopped (or
   * cannot reach the server); whatever it reported before says nothing about now.
   */
  public static String silent(java.time.Instant lastSeen) {
    return "no heartbeat since "
        + time(lastSeen)
        + ": its agent stopped or cannot reach the server";
  }

  /**
   * Why a node kept from before the server's restart takes no work yet: its agent has not answered
   * this server, and may have died while it was down.
   */
  public static String notHeardSince(java.time.Instant serverStart) {
    return "not heard from since the server restarted at "
        + time(serverStart)
        + ": no new work until its agent answers";
  }

  /** A time as the CLI prints times, e.g. {@code 2026-12-01 03:20 UTC}. */
  private static String time(java.time.Instant t) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
        .withZone(java.time.ZoneOffset.UTC)
        .format(t);
  }

  /** Why no run at all can start on the node, or null. */
  public static String blocked(NodeFacts facts) {
    RuntimeInfo runtime = facts.runtime();
    if (runtime == null || runtime.usable()) {
      return null;
    }
    return "runtime " + runtime.kind() + " cannot start runs: " + runtime.problem();
  }

  /** Why no run that needs GPUs can start on the node (while others may), or null. */
  public static String gpuBlocked(NodeFacts facts) {
    RuntimeInfo runtime = facts.runtime();
    if (facts.gpus().isEmpty() || runtime == null || runtime.handsOffGpus()) {
      return null;
    }
    return "GPUs cannot be handed to containers: the engine lists no nvidia runtime and no CDI"
        + " spec for nvidia.com/gpu exists";
  }

  /**
   * Whether runs of jobs with a volume may go to the node: its agent has volume storage, or did not
   * say (an older agent).
   */
  public static boolean volumeStorage(NodeFacts facts) {
    return facts.runtime() == null || facts.runtime().hasVolumeStorage();
  }

  /** The GPUs the scheduler may hand out: those without a problem. */
  public static List<Integer> usableGpus(NodeFacts facts) {
    return facts.healthyGpus().stream().map(GpuInfo::index).toList();
  }

  /** Everything that keeps work (or some GPUs) off the node, joined; null when nothing does. */
  public static String why(NodeFacts facts) {
    String blocked = blocked(facts);
    if (blocked != null) {
      return blocked;
    }
    String gpus = gpuBlocked(facts);
    if (gpus != null) {
      return gpus;
    }
    List<String> notes =
        new ArrayList<>(
            facts.gpus().stream()
                .filter(g -> g.problem() != null)
                .map(g -> "GPU " + g.index() + " unusable: " + g.problem())
                .toList());
    if (!volumeStorage(facts)) {
      String why = facts.runtime().storageProblem();
      notes.add(
          why == null || why.isBlank()
              ? NO_VOLUME_STORAGE
              : "no volume storage: " + why + "; jobs with a volume go elsewhere");
    }
    return notes.isEmpty() ? null : String.join("; ", notes);
  }
}
