package dev.ocean.server.scheduler;

import java.util.ArrayList;
import java.util.List;

/** The wait detail of a run that no READY node could hold even when empty. */
final class NoCapacity {
  private NoCapacity() {}

  /**
   * Why no node is ready: none joined, or the admin drains them (their action, not a fault), or
   * they are lost or gone.
   */
  static String noneReady(List<NodeSlot> slots) {
    if (slots.isEmpty()) {
      return "no node has joined the cluster";
    }
    List<String> draining =
        slots.stream()
            .filter(s -> s.node.status() == NodeStatus.DRAINING)
            .map(NodeSlot::name)
            .sorted()
            .toList();
    if (draining.size() == slots.size()) {
      return draining.size() == 1
          ? "node " + draining.get(0) + " is draining"
          : draining.size() <= 3
              ? "nodes " + String.join(", ", draining) + " are draining"
              : "all " + draining.size() + " nodes are draining";
    }
    return "no node is ready";
  }

  /**
   * Why no node that runs {@code run}'s runtime gives it its volume: none has storage, or the ones
   * with storage ({@code usable}: ready, not blocked) run another runtime (qa7 K9).
   */
  static String noVolumeStorage(List<NodeSnapshot> usable, QueuedRun run) {
    List<String> stored =
        usable.stream().filter(n -> n.storesVolumeOf(run)).map(NodeSnapshot::name).toList();
    if (stored.isEmpty()) {
      return Scheduler.NO_VOLUME_STORAGE;
    }
    String runtime =
        run.runtimeKind().equals("process") ? "the process runtime" : "a container runtime";
    return "no ready node has both volume storage and "
        + runtime
        + " ("
        + (stored.size() == 1 ? "node " : "nodes ")
        + String.join(", ", stored.subList(0, Math.min(3, stored.size())))
        + (stored.size() > 3 ? " and " + (stored.size() - 3) + " more" : "")
        + (stored.size() == 1 ? " has" : " have")
        + " storage but another runtime)";
  }

  /**
   * Why no usable node runs {@code run}'s runtime: no {@code ready} node has it, or those that have
   * it cannot start runs now (their runtime is down: they are named, with why), which an admin
   * fixes on those nodes rather than by adding one (qa11 T13).
   */
  static String noRuntime(List<NodeSnapshot> ready, QueuedRun run) {
    boolean process = !run.instance() && run.runtimeKind().equals("process");
    List<NodeSnapshot> down =
        ready.stream().filter(n -> n.blocked() != null && n.runs(run)).toList();
    if (down.isEmpty()) {
      return run.instance()
          ? Scheduler.NO_CONTAINER_RUNTIME
          : process
              ? "its image is the host, and no ready node has the process runtime"
              : "its image is a container image, and no ready node has a container runtime (docker)";
    }
    String need =
        run.instance()
            ? "an instance needs a container runtime (Docker or Podman)"
            : process ? "its image is the host" : "its image is a container image";
    String kind = process ? "process runtime" : "container runtime";
    List<NodeSnapshot> named = down.subList(0, Math.min(3, down.size()));
    String more = down.size() > 3 ? " and " + (down.size() - 3) + " more" : "";
    if (down.size() == 1) {
      NodeSnapshot n = down.get(0);
      return need + ", and the " + kind + " of node " + n.name() + " is down (" + n.blocked() + ")";
    }
    return need
        + ", and the "
        + kind
        + "s of nodes "
        + String.join(", ", named.stream().map(NodeSnapshot::name).toList())
        + more
        + " are down ("
        + String.join(
            "; ", named.stream().map(n -> "node " + n.name() + ": " + n.blocked()).toList())
        + ")";
  }

  /** Says which resource no READY node has enough of, checking GPUs, then CPUs, then memory. */
  static String detail(List<NodeSlot> slots, QueuedRun run) {
    List<NodeSnapshot> ready = slots.stream().filter(NodeSlot::isReady).map(s -> s.node).toList();
    List<NodeSnapshot> allReady = ready;
    if (ready.isEmpty()) {
      return noneReady(slots);
    }
    List<String> unfit = new ArrayList<>();
    for (NodeSnapshot n : ready) {
      if (n.blocked() != null) {
        unfit.add("node " + n.name() + ": " + n.blocked());
      } else if (run.gpus() > 0 && n.gpuBlocked() != null) {
        unfit.add("node " + n.name() + ": " + n.gpuBlocked());
      }
    }
    ready =
        ready.stream()
            .filter(n -> n.blocked() == null && (run.gpus() == 0 || n.gpuBlocked() == null))
            .toList();
    if (ready.isEmpty()) {
      return "no ready node can run it (" + String.join("; ", unfit) + ")";
    }
    List<NodeSnapshot> usable = ready;
    ready = ready.stream().filter(n -> n.runs(run)).toList();
    if (ready.isEmpty()) {
      return noRuntime(allReady, run);
    }
    ready = ready.stream().filter(n -> n.storesVolumeOf(run)).toList();
    if (ready.isEmpty()) {
      return noVolumeStorage(usable, run);
    }
    String gpuKind = run.gpuModel() == null ? "GPUs" : run.gpuModel() + " GPUs";
    if (run.gpus() > 0) {
      List<NodeSnapshot> withModel =
          ready.stream()
              .filter(n -> n.totalGpus() > 0)
              .filter(n -> run.gpuModel() == null || n.hasGpuModel(run.gpuModel()))
              .toList();
      if (withModel.isEmpty()) {
        return "no ready node has " + gpuKind;
      }
      int most = withModel.stream().mapToInt(NodeSnapshot::totalGpus).max().orElseThrow();
      if (most < run.gpus()) {
        return "needs "
            + run.gpus()
            + " "
            + gpuKind
            + " but the largest ready node with "
            + gpuKind
            + " has "
            + most;
      }
      ready = withModel.stream().filter(n -> n.totalGpus() >= run.gpus()).toList();
    }
    String where = run.gpus() > 0 ? "ready node with " + run.gpus() + " " + gpuKind : "ready node";
    int mostCpus = ready.stream().mapToInt(NodeSnapshot::totalCpus).max().orElseThrow();
    if (mostCpus < run.cpus()) {
      return "needs " + run.cpus() + " CPUs but the largest " + where + " has " + mostCpus;
    }
    long mostMemory = ready.stream().mapToLong(NodeSnapshot::totalMemoryMib).max().orElseThrow();
    if (mostMemory < run.memoryMib()) {
      return "needs "
          + run.memoryMib()
          + " MiB memory but the largest "
          + where
          + " has "
          + mostMemory
          + " MiB";
    }
    return "no " + where + " has " + run.cpus() + " CPUs and " + run.memoryMib() + " MiB together";
  }
}
