package dev.ocean.server.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides which pending runs start where: a pure function from a {@link ClusterSnapshot} and the
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
public final class Scheduler {

  /** The wait detail of a run with a volume when no READY node has volume storage. */
  public static final String NO_VOLUME_STORAGE =
      "no node has volume storage (ocean-agent join --storage)";

  /** The wait detail of an instance when no READY node has a container runtime. */
  public static final String NO_CONTAINER_RUNTIME =
      "an instance needs a container runtime (Docker or Podman), and no ready node has one; nodes"
          + " with the process runtime never run instances";

  private static final Comparator<NodeSnapshot> BY_NAME = Comparator.comparing(NodeSnapshot::name);

  /** Slots in name order: their ranks, numbered in that order, stand in for the names. */
  private static final Comparator<NodeSlot> BY_RANK = Comparator.comparingInt(s -> s.rank);

  /** Plans one round; {@code queue} need not be sorted. */
  public Plan plan(ClusterSnapshot cluster, List<QueuedRun> queue) {
    NodeSnapshot[] byName = cluster.nodes().toArray(NodeSnapshot[]::new);
    Arrays.sort(byName, BY_NAME); // the nodes usually come in this order: one comparison each
    List<NodeSlot> slots = new ArrayList<>(byName.length);
    for (NodeSnapshot node : byName) {
      slots.add(new NodeSlot(node, slots.size()));
    }
    OpenSlots open = new OpenSlots(slots);
    // Placements only take capacity and reservations only take nodes, so a run that fits nowhere
    // means every later run of the same shape fits nowhere either: no need to look again.
    Set<Shape> fitsNowhere = new HashSet<>();
    // The nodes a shape could ever use never change within a plan; what its waiting runs share.
    Map<Shape, ShapeWaits> waitsOf = new HashMap<>();
    List<Placement> placements = new ArrayList<>();
    List<Wait> waits = new ArrayList<>();
    QueuedRun[] ordered = queue.toArray(QueuedRun[]::new);
    Arrays.sort(ordered, QueuedRun.QUEUE_ORDER);
    for (QueuedRun run : ordered) {
      Shape shape = Shape.of(run);
      NodeSlot target = fitsNowhere.contains(shape) ? null : open.bestFit(run);
      if (target != null) {
        placements.add(open.place(target, run));
      } else {
        fitsNowhere.add(shape);
        ShapeWaits shared = waitsOf.computeIfAbsent(shape, k -> new ShapeWaits(slots, run));
        waits.add(shared.waitAndReserve(slots, open::remove, run, waits.size() + 1));
      }
    }
    return new Plan(placements, waits);
  }

  /**
   * What decides where a run fits: runs of one shape fit the same nodes (and, being an instance or
   * not, are told the same when none could hold them).
   */
  private record Shape(
      int cpus,
      long memoryMib,
      int gpus,
      String gpuModel,
      String runtime,
      boolean volume,
      boolean instance) {
    static Shape of(QueuedRun r) {
      return new Shape(
          r.cpus(),
          r.memoryMib(),
          r.gpus(),
          r.gpuModel(),
          r.runtimeKind(),
          r.hasVolume(),
          r.instance());
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

    NodeSlot bestFit(QueuedRun run) {
      for (TreeSet<NodeSlot> bucket : byFreeGpus.tailMap(run.gpus(), true).values()) {
        for (NodeSlot slot : bucket) {
          if (slot.fitsNow(run)) {
            return slot;
          }
        }
      }
      return null;
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
      byFreeGpus.computeIfAbsent(slot.freeGpuCount(), k -> new TreeSet<>(BY_RANK)).add(slot);
    }
  }
}
