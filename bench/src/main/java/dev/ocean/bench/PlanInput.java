package dev.ocean.bench;

import dev.ocean.server.scheduler.ClusterSnapshot;
import dev.ocean.server.scheduler.NodeSnapshot;
import dev.ocean.server.scheduler.QueuedRun;
import java.util.ArrayList;
import java.util.List;

/**
 * The input of the in-process scheduler figures (the {@code sched} scenario and the JMH benchmark):
 * empty nodes with 8 H100s, 64 CPUs and 512 GiB each, and a queue of one-GPU runs in jobs of 1,000.
 */
public final class PlanInput {
  private PlanInput() {}

  /** {@code n} empty nodes named {@code n00000}, {@code n00001}, ... */
  public static ClusterSnapshot cluster(int n) {
    List<NodeSnapshot> nodes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      nodes.add(
          NodeSnapshot.builder(String.format("n%05d", i))
              .cpus(64)
              .memoryMib(524288)
              .gpus(8, "H100")
              .build());
    }
    return new ClusterSnapshot(nodes);
  }

  /** {@code runs} one-GPU runs, 1,000 per job, in submission order. */
  public static List<QueuedRun> queue(int runs) {
    List<QueuedRun> queue = new ArrayList<>(runs);
    for (int i = 0; i < runs; i++) {
      long job = i / 1000 + 1;
      queue.add(new QueuedRun(job, i % 1000, job, 1, 1024, 1, null, "container", false, false));
    }
    return queue;
  }
}
