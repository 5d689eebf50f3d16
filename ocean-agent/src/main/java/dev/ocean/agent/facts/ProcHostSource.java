package dev.ocean.agent.facts;

import dev.ocean.common.api.node.DiskInfo;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the host's CPUs, memory, disks, load and network from Linux's {@code /proc} (and {@code
 * /etc/os-release}), the files OSHI read for these figures, without OSHI and JNA: those cost an
 * idle agent about 5 MB of resident memory and three threads.
 *
 * <p>Each value is read on its own and becomes null when its file is missing or unreadable (another
 * OS, a locked-down container), so one missing counter does not cost the whole heartbeat.
 */
public final class ProcHostSource implements HostSource {

  private static final Logger log = LoggerFactory.getLogger(ProcHostSource.class);

  // Traffic through bridges, veths, tunnels and loopback also crosses a physical NIC (or never
  // leaves the host), so counting these interfaces would inflate the node's network totals.
  private static final List<String> VIRTUAL_INTERFACE_PREFIXES =
      List.of(
          "lo",
          "docker",
          "veth",
          "br-",
          "virbr",
          "cni",
          "flannel",
          "cali",
          "vxlan",
          "kube",
          "tun",
          "tap",
          "wg",
          "tailscale",
          "podman");

  private final Path root;
  private final InstantSource clock;

  // CPU utilisation is the difference between two tick counts; keeping the previous counts makes
  // each sample cover exactly the time since the last one, without sleeping.
  private long[] previousTicks;

  /** A source for this machine, stamping samples with the system clock. */
  public ProcHostSource() {
    this(Path.of("/"), InstantSource.system());
  }

  /** A source for this machine, stamping samples with {@code clock}. */
  public ProcHostSource(InstantSource clock) {
    this(Path.of("/"), clock);
  }

  /**
   * A source reading {@code proc/...} and {@code etc/os-release} under {@code root} (tests give a
   * directory of fixtures); disk sizes always come from this machine's mount points.
   */
  public ProcHostSource(Path root, InstantSource clock) {
    this.root = root;
    this.clock = clock;
    this.previousTicks = quietly("CPU ticks", () -> ProcFiles.cpuTicks(read("proc/stat")));
  }

  @Override
  public NodeFacts facts() {
    return new NodeFacts(
        quietly("host name", () -> blankToNull(read("proc/sys/kernel/hostname"))),
        quietly("OS", () -> ProcFiles.osName(read("etc/os-release"))),
        blankToNull(System.getProperty("os.arch")),
        quietly("CPU model", () -> blankToNull(ProcFiles.cpuModel(read("proc/cpuinfo")))),
        quietly("CPU count", () -> ProcFiles.logicalCpus(read("proc/cpuinfo"))),
        quietly("memory", () -> ProcFiles.memory(read("proc/meminfo"))[0]),
        quietly("disks", this::disks),
        List.of(),
        null);
  }

  @Override
  public synchronized NodeMetrics sample() {
    long[] ticks = quietly("CPU ticks", () -> ProcFiles.cpuTicks(read("proc/stat")));
    Double utilisation = null;
    if (ticks != null && previousTicks != null) {
      // With no tick elapsed (two samples within a clock tick) the share is unknown, not 0 %;
      // keeping the old counts lets the next sample cover the longer interval.
      Double load = ProcFiles.busyShare(previousTicks, ticks);
      if (load != null) {
        utilisation = Math.clamp(load * 100.0, 0.0, 100.0);
        previousTicks = ticks;
      }
    } else {
      previousTicks = ticks;
    }
    double[] loads = quietly("load average", () -> ProcFiles.loadAverages(read("proc/loadavg")));
    Long[] memory = quietly("memory", () -> ProcFiles.memory(read("proc/meminfo")));
    Long total = memory == null ? null : memory[0];
    Long available = memory == null ? null : memory[1];
    long[] network =
        quietly(
            "network",
            () -> ProcFiles.networkTotals(read("proc/net/dev"), VIRTUAL_INTERFACE_PREFIXES));
    return new NodeMetrics(
        clock.millis(),
        utilisation,
        loadAt(loads, 0),
        loadAt(loads, 1),
        loadAt(loads, 2),
        total != null && available != null ? Math.max(0, total - available) : null,
        total,
        network == null ? null : network[0],
        network == null ? null : network[1],
        List.of());
  }

  private List<DiskInfo> disks() throws IOException {
    List<DiskInfo> disks = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    // Local stores only (ProcFiles.localMounts): statvfs on a stale network mount can block for
    // minutes.
    for (String mount : ProcFiles.localMounts(read("proc/mounts"))) {
      if (!seen.add(mount)) {
        continue;
      }
      try {
        FileStore store = Files.getFileStore(Path.of(mount));
        long total = store.getTotalSpace();
        if (total > 0) {
          disks.add(new DiskInfo(mount, total, store.getUsableSpace()));
        }
      } catch (IOException | RuntimeException e) {
        log.debug("Could not read the size of {}", mount, e);
      }
    }
    disks.sort(Comparator.comparing(DiskInfo::mount));
    // the server takes at most 256; mounts past that say nothing a scheduler needs
    return disks.size() > 64 ? List.copyOf(disks.subList(0, 64)) : disks;
  }

  private String read(String file) throws IOException {
    return Files.readString(root.resolve(file));
  }

  /** A load average, or null where the platform has none. */
  private static Double loadAt(double[] loads, int i) {
    return loads != null && loads.length > i && loads[i] >= 0 ? loads[i] : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** A read of one value that may fail on its own. */
  private interface Read<T> {
    T get() throws IOException;
  }

  private static <T> T quietly(String what, Read<T> read) {
    try {
      return read.get();
    } catch (IOException | RuntimeException e) {
      log.debug("Could not read {} from /proc", what, e);
      return null;
    }
  }
}
