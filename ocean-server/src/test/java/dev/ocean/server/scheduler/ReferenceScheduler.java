package dev.ocean.server.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The scheduler as it was before waiting runs shared work per shape (commit e72ae8c), kept as the
 * reference that {@link SchedulerEquivalenceTest} holds today's {@link Scheduler} to. It looks at
 * every capable node for every waiting run, so it is slow at scale but plainly right.
 *
 * <p>Decides which pending runs start where: a pure function from a {@link ClusterSnapshot} and the
 * queue to a {@link Plan}, with no I/O and no clock, so the same input always gives the same plan.
 *
 * <p>The queue is served strictly in submission order ({@link QueuedRun#QUEUE_ORDER}). Each run is
 * placed on the READY, unreserved node where it fits (GPU model, whole GPUs, CPUs, memory) that is
 * left with the fewest free GPUs (best fit, then node name), taking the lowest GPU indices, so that
 * large contiguous slots stay free. A run that cannot start reserves the one node it waits for: of
 * the unreserved READY nodes that could hold it when empty, the one that needs the fewest GPUs
 * (then CPUs, memory) freed, then by name. Later runs may start on other nodes but never on a
 * reserved one, so a big run is not starved by a stream of small ones, while GPUs that no earlier
 * run waits for are still used (backfill). DRAINING and LOST nodes get nothing, nor do READY nodes
 * whose runtime is down ({@link NodeSnapshot#blocked}); runs of jobs with a volume go only to nodes
 * with volume storage ({@link NodeSnapshot#volumeStorage}); GPU runs skip nodes whose GPUs cannot
 * reach their runs ({@link NodeSnapshot#gpuBlocked}); instance runs go only to nodes with a
 * container runtime, never to process-runtime nodes ({@link QueuedRun#instance}).
 */
final class ReferenceScheduler {

  private static final String NO_CONTAINER_RUNTIME = Scheduler.NO_CONTAINER_RUNTIME;

  private static final Comparator<NodeSlot> BY_NAME = Comparator.comparing(NodeSlot::name);

  private static final int NAMES_SHOWN = 10;

  private static final String HELD = "waits behind earlier runs holding nodes ";

  /** Plans one round; {@code queue} need not be sorted. */
  Plan plan(ClusterSnapshot cluster, List<QueuedRun> queue) {
    List<NodeSlot> slots =
        cluster.nodes().stream().map(n -> new NodeSlot(n, 0)).sorted(BY_NAME).toList();
    OpenSlots open = new OpenSlots(slots);
    // Placements only take capacity and reservations only take nodes, so a run that fits nowhere
    // means every later run of the same shape fits nowhere either: no need to look again.
    Set<Shape> fitsNowhere = new HashSet<>();
    // The same goes for waiting: the nodes a shape could ever use never change within a plan, and
    // once all are held and none fits, every later run of that shape waits the same way.
    Map<Shape, List<NodeSlot>> capableOf = new HashMap<>();
    Map<Shape, String> heldDetail = new HashMap<>();
    List<Placement> placements = new ArrayList<>();
    List<Wait> waits = new ArrayList<>();
    for (QueuedRun run : queue.stream().sorted(QueuedRun.QUEUE_ORDER).toList()) {
      Shape shape = Shape.of(run);
      Optional<NodeSlot> target =
          fitsNowhere.contains(shape) ? Optional.empty() : open.bestFit(run);
      if (target.isPresent()) {
        placements.add(open.place(target.get(), run));
      } else {
        fitsNowhere.add(shape);
        int position = waits.size() + 1;
        String held = heldDetail.get(shape);
        if (held != null) {
          waits.add(wait(run, position, WaitReason.NO_NODE_FITS, held));
          continue;
        }
        List<NodeSlot> capable =
            capableOf.computeIfAbsent(
                shape, k -> slots.stream().filter(slot -> slot.canEverHold(run)).toList());
        Wait w = waitAndReserve(slots, capable, open, run, position);
        if (w.reason() == WaitReason.NO_NODE_FITS && w.detail().startsWith(HELD)) {
          heldDetail.put(shape, w.detail());
        }
        waits.add(w);
      }
    }
    return new Plan(placements, waits);
  }

  /** What decides where a run fits: runs of one shape fit the same nodes. */
  private record Shape(
      int cpus, long memoryMib, int gpus, String gpuModel, String runtime, boolean volume) {
    static Shape of(QueuedRun r) {
      return new Shape(
          r.cpus(), r.memoryMib(), r.gpus(), r.gpuModel(), r.runtimeKind(), r.hasVolume());
    }
  }

  /**
   * The unreserved READY nodes by free GPUs, then name: the first one a run fits is its best fit
   * (fewest free GPUs, then name), found without looking at nodes with too few free GPUs.
   */
  private static final class OpenSlots {
    private final TreeMap<Integer, TreeSet<NodeSlot>> byFreeGpus = new TreeMap<>();

    OpenSlots(List<NodeSlot> slots) {
      for (NodeSlot slot : slots) {
        if (slot.isReady() && slot.node.blocked() == null) {
          add(slot);
        }
      }
    }

    Optional<NodeSlot> bestFit(QueuedRun run) {
      for (TreeSet<NodeSlot> bucket : byFreeGpus.tailMap(run.gpus(), true).values()) {
        for (NodeSlot slot : bucket) {
          if (slot.fitsNow(run)) {
            return Optional.of(slot);
          }
        }
      }
      return Optional.empty();
    }

    Placement place(NodeSlot slot, QueuedRun run) {
      remove(slot);
      Placement p = slot.place(run);
      add(slot);
      return p;
    }

    void remove(NodeSlot slot) {
      TreeSet<NodeSlot> bucket = byFreeGpus.get(slot.freeGpuCount());
      if (bucket != null && bucket.remove(slot) && bucket.isEmpty()) {
        byFreeGpus.remove(slot.freeGpuCount());
      }
    }

    private void add(NodeSlot slot) {
      byFreeGpus.computeIfAbsent(slot.freeGpuCount(), k -> new TreeSet<>(BY_NAME)).add(slot);
    }
  }

  private static Wait waitAndReserve(
      List<NodeSlot> slots, List<NodeSlot> capable, OpenSlots open, QueuedRun run, int position) {
    if (capable.isEmpty()) {
      return wait(run, position, WaitReason.NO_SUCH_CAPACITY, noCapacityDetail(slots, run));
    }
    Optional<NodeSlot> waitFor =
        capable.stream()
            .filter(slot -> !slot.isReserved())
            .min(
                Comparator.comparingInt((NodeSlot slot) -> slot.gpuShortfall(run))
                    .thenComparingInt(slot -> slot.cpuShortfall(run))
                    .thenComparingLong(slot -> slot.memoryShortfall(run))
                    .thenComparing(BY_NAME));
    // Nothing unreserved fits (else bestFit would have placed it), so any node it fits is held.
    Optional<NodeSlot> heldForEarlier =
        capable.stream().filter(slot -> slot.fitsNow(run)).findFirst();
    waitFor.ifPresent(
        slot -> {
          open.remove(slot);
          slot.reserveFor(run, position);
        });
    if (heldForEarlier.isPresent()) {
      NodeSlot held = heldForEarlier.get();
      return wait(
          run,
          position,
          WaitReason.RESERVED_FOR_EARLIER,
          "would fit on node " + held.name() + ", which is held for " + held.reservationLabel());
    }
    String detail =
        waitFor
            .map(slot -> "waits for node " + slot.name() + " to free " + shortfall(slot, run))
            .orElseGet(() -> HELD + names(capable));
    return wait(run, position, WaitReason.NO_NODE_FITS, detail);
  }

  /**
   * At most {@value #NAMES_SHOWN} node names: with thousands of nodes, each waiting run's detail
   * would otherwise hold every name, and the wait board one copy per waiting run.
   */
  private static String names(List<NodeSlot> slots) {
    String shown =
        slots.stream().limit(NAMES_SHOWN).map(NodeSlot::name).collect(Collectors.joining(", "));
    return slots.size() <= NAMES_SHOWN
        ? shown
        : shown + " and " + (slots.size() - NAMES_SHOWN) + " more";
  }

  private static Wait wait(QueuedRun run, int position, WaitReason reason, String detail) {
    return new Wait(run.jobId(), run.runIndex(), position, reason, detail);
  }

  private static String shortfall(NodeSlot slot, QueuedRun run) {
    List<String> parts = new ArrayList<>();
    int gpus = slot.gpuShortfall(run);
    if (gpus > 0) {
      parts.add(gpus + " more " + (gpus == 1 ? "GPU" : "GPUs"));
    }
    int cpus = slot.cpuShortfall(run);
    if (cpus > 0) {
      parts.add(cpus + " more " + (cpus == 1 ? "CPU" : "CPUs"));
    }
    long memory = slot.memoryShortfall(run);
    if (memory > 0) {
      parts.add(memory + " MiB more memory");
    }
    return String.join(", ", parts);
  }

  /** Says which resource no READY node has enough of, checking GPUs, then CPUs, then memory. */
  private static String noCapacityDetail(List<NodeSlot> slots, QueuedRun run) {
    List<NodeSnapshot> ready = slots.stream().filter(NodeSlot::isReady).map(s -> s.node).toList();
    List<NodeSnapshot> allReady = ready;
    if (ready.isEmpty()) {
      return NoCapacity.noneReady(slots);
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
      return NoCapacity.noRuntime(allReady, run);
    }
    ready = ready.stream().filter(n -> n.storesVolumeOf(run)).toList();
    if (ready.isEmpty()) {
      return NoCapacity.noVolumeStorage(usable, run);
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
