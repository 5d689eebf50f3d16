package dev.ocean.server.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What the waiting runs of one shape (runs that fit the same nodes) share within one {@link
 * Scheduler#plan}, so that each waiting run costs about log(nodes) instead of a look at every node.
 *
 * <p>Within a plan a node's free capacity only shrinks and reservations are only added, so for one
 * shape (a) a node it no longer fits now never fits again, and (b) a node's shortfall (GPUs, then
 * CPUs, then memory to be freed) only grows. (a) lets one cursor walk the capable nodes by name
 * once to find the first held node it would fit; (b) lets a heap keyed by the shortfall it had when
 * queued find the unreserved node needing least freed: an entry whose key is still current is the
 * least, a stale one is queued again with its new key.
 */
final class ShapeWaits {
  private static final int NAMES_SHOWN = 10;

  static final String HELD = "waits behind earlier runs holding nodes ";

  /** The READY nodes that could hold a run of this shape when empty, by name. */
  final List<NodeSlot> capable;

  private int fitCursor;
  private PriorityQueue<Candidate> leastShortfall;
  private String heldDetail;
  private String noCapacityDetail;

  private record Candidate(NodeSlot slot, int gpus, int cpus, long memory) {
    static Candidate of(NodeSlot slot, QueuedRun run) {
      return new Candidate(
          slot, slot.gpuShortfall(run), slot.cpuShortfall(run), slot.memoryShortfall(run));
    }
  }

  private static final Comparator<Candidate> LEAST_FREED =
      Comparator.comparingInt(Candidate::gpus)
          .thenComparingInt(Candidate::cpus)
          .thenComparingLong(Candidate::memory)
          .thenComparing(c -> c.slot().name());

  ShapeWaits(List<NodeSlot> slots, QueuedRun run) {
    this.capable = slots.stream().filter(slot -> slot.canEverHold(run)).toList();
  }

  /**
   * Why {@code run} waits, reserving for it the unreserved capable node that needs the fewest GPUs
   * (then CPUs, memory) freed; called only when no unreserved node fits it now.
   */
  Wait waitAndReserve(
      List<NodeSlot> slots, Consumer<NodeSlot> unopen, QueuedRun run, int position) {
    if (heldDetail != null) {
      return wait(run, position, WaitReason.NO_NODE_FITS, heldDetail);
    }
    if (capable.isEmpty()) {
      if (noCapacityDetail == null) {
        noCapacityDetail = NoCapacity.detail(slots, run);
      }
      return wait(run, position, WaitReason.NO_SUCH_CAPACITY, noCapacityDetail);
    }
    // Nothing unreserved fits (else it would have been placed), so any node it fits is held.
    NodeSlot held = firstFittingNow(run);
    NodeSlot waitFor = leastShortfall(run);
    if (waitFor != null) {
      unopen.accept(waitFor);
      waitFor.reserveFor(run, position);
    }
    if (held != null) {
      return wait(
          run,
          position,
          WaitReason.RESERVED_FOR_EARLIER,
          "would fit on node " + held.name() + ", which is held for " + held.reservationLabel());
    }
    if (waitFor == null) {
      // Every capable node is held and none fits: so it stays for the rest of this plan.
      heldDetail = HELD + names(capable);
      return wait(run, position, WaitReason.NO_NODE_FITS, heldDetail);
    }
    return wait(
        run,
        position,
        WaitReason.NO_NODE_FITS,
        "waits for node " + waitFor.name() + " to free " + shortfall(waitFor, run));
  }

  /** The first capable node by name that the run fits now, or null. */
  private NodeSlot firstFittingNow(QueuedRun run) {
    while (fitCursor < capable.size() && !capable.get(fitCursor).fitsNow(run)) {
      fitCursor++;
    }
    return fitCursor < capable.size() ? capable.get(fitCursor) : null;
  }

  /** Takes the unreserved capable node needing least freed for the run, or null when none is. */
  private NodeSlot leastShortfall(QueuedRun run) {
    if (leastShortfall == null) {
      leastShortfall = new PriorityQueue<>(Math.max(1, capable.size()), LEAST_FREED);
      for (NodeSlot slot : capable) {
        if (!slot.isReserved()) {
          leastShortfall.add(Candidate.of(slot, run));
        }
      }
    }
    while (!leastShortfall.isEmpty()) {
      Candidate c = leastShortfall.poll();
      if (c.slot().isReserved()) {
        continue;
      }
      Candidate now = Candidate.of(c.slot(), run);
      if (now.equals(c)) {
        return c.slot();
      }
      leastShortfall.add(now);
    }
    return null;
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

  static Wait wait(QueuedRun run, int position, WaitReason reason, String detail) {
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
}
