package dev.ocean.bench.jmh;

import dev.ocean.bench.PlanInput;
import dev.ocean.server.scheduler.ClusterSnapshot;
import dev.ocean.server.scheduler.Plan;
import dev.ocean.server.scheduler.QueuedRun;
import dev.ocean.server.scheduler.Scheduler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure {@link Scheduler#plan} on empty clusters of 8-GPU nodes and cold queues of one-GPU runs:
 * plans per second, and (the {@code placements} row) placements per second. With more runs than
 * GPUs, the rest wait, each with its reason, so the wait path is measured too. Run with {@code
 * bench/run.sh jmh} (JMH options after it, e.g. {@code -p nodes=10000}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SchedulerPlanBenchmark {

  @Param({"100", "1000", "10000"})
  public int nodes;

  @Param({"1000", "100000"})
  public int runs;

  private final Scheduler scheduler = new Scheduler();
  private ClusterSnapshot cluster;
  private List<QueuedRun> queue;

  /** Placements made, reported by JMH as a rate next to the plans. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Placed {
    public long placements;

    @Setup(Level.Iteration)
    public void reset() {
      placements = 0;
    }
  }

  @Setup
  public void setUp() {
    cluster = PlanInput.cluster(nodes);
    queue = PlanInput.queue(runs);
  }

  @Benchmark
  public Plan plan(Placed placed) {
    Plan plan = scheduler.plan(cluster, queue);
    placed.placements += plan.placements().size();
    return plan;
  }
}
