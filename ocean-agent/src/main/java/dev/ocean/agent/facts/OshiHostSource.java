package dev.ocean.agent.facts;

import dev.ocean.common.api.node.DiskInfo;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSFileStore;
import oshi.software.os.OperatingSystem;

/**
 * Reads the host's CPUs, memory, disks, load and network through OSHI.
 *
 * <p>Each value is read on its own and becomes null if OSHI fails on it, so one unsupported counter
 * on an odd platform does not cost the whole heartbeat.
 */
public final class OshiHostSource implements HostSource {

  private static final Logger log = LoggerFactory.getLogger(OshiHostSource.class);

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

  // Memory-backed and image file systems say nothing about the disk space a job can use.
  private static final Set<String> IGNORED_FS_TYPES =
      Set.of("tmpfs", "devtmpfs", "ramfs", "squashfs", "efivarfs");

  private final HardwareAbstractionLayer hardware;
  private final OperatingSystem os;
  private final CentralProcessor cpu;
  private final InstantSource clock;

  // CPU utilisation is the difference between two tick counts; keeping the previous counts makes
  // each sample cover exactly the time since the last one, without sleeping.
  private long[] previousTicks;

  /** A source for this machine, stamping samples with the system clock. */
  public OshiHostSource() {
    this(InstantSource.system());
  }

  /** A source for this machine, stamping samples with {@code clock}. */
  public OshiHostSource(InstantSource clock) {
    SystemInfo system = new SystemInfo();
    this.hardware = system.getHardware();
    this.os = system.getOperatingSystem();
    this.cpu = hardware.getProcessor();
    this.clock = clock;
    this.previousTicks = quietly("CPU ticks", cpu::getSystemCpuLoadTicks);
  }

  @Override
  public NodeFacts facts() {
    return new NodeFacts(
        quietly("host name", () -> blankToNull(os.getNetworkParams().getHostName())),
        quietly("OS", this::osName),
        blankToNull(System.getProperty("os.arch")),
        quietly("CPU model", () -> blankToNull(cpu.getProcessorIdentifier().getName())),
        quietly("CPU count", () -> positive(cpu.getLogicalProcessorCount())),
        quietly("memory", () -> positive(hardware.getMemory().getTotal())),
        quietly("disks", this::disks),
        List.of(),
        null);
  }

  @Override
  public synchronized NodeMetrics sample() {
    long[] ticks = quietly("CPU ticks", cpu::getSystemCpuLoadTicks);
    Double utilisation = null;
    if (ticks != null && previousTicks != null) {
      long[] before = previousTicks;
      // With no tick elapsed (two samples within a clock tick) the share is unknown, not 0 %;
      // keeping the old counts lets the next sample cover the longer interval.
      if (Arrays.stream(ticks).sum() > Arrays.stream(before).sum()) {
        Double load = quietly("CPU load", () -> cpu.getSystemCpuLoadBetweenTicks(before, ticks));
        utilisation =
            load != null && Double.isFinite(load) ? Math.clamp(load * 100.0, 0.0, 100.0) : null;
        previousTicks = ticks;
      }
    } else {
      previousTicks = ticks;
    }
    double[] loads = quietly("load average", () -> cpu.getSystemLoadAverage(3));
    GlobalMemory memory = hardware.getMemory();
    Long total = quietly("memory", () -> positive(memory.getTotal()));
    Long available = quietly("free memory", memory::getAvailable);
    long[] network = quietly("network", this::networkTotals);
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

  private String osName() {
    String version = os.getVersionInfo().getVersion();
    return blankToNull(os.getFamily() + (version == null ? "" : " " + version));
  }

  private List<DiskInfo> disks() {
    List<DiskInfo> disks = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    // Local stores only: statvfs on a stale network mount can block for minutes.
    for (OSFileStore store : os.getFileSystem().getFileStores(true)) {
      if (IGNORED_FS_TYPES.contains(store.getType())
          || store.getTotalSpace() <= 0
          || !seen.add(store.getMount())) {
        continue;
      }
      disks.add(new DiskInfo(store.getMount(), store.getTotalSpace(), store.getUsableSpace()));
    }
    disks.sort(Comparator.comparing(DiskInfo::mount));
    // the server takes at most 256; mounts past that say nothing a scheduler needs
    return disks.size() > 64 ? List.copyOf(disks.subList(0, 64)) : disks;
  }

  private long[] networkTotals() {
    long rx = 0;
    long tx = 0;
    for (NetworkIF nic : hardware.getNetworkIFs()) {
      String name = nic.getName();
      if (VIRTUAL_INTERFACE_PREFIXES.stream().anyMatch(name::startsWith)) {
        continue;
      }
      rx += nic.getBytesRecv();
      tx += nic.getBytesSent();
    }
    return new long[] {rx, tx};
  }

  /** A load average, or null where the platform has none (OSHI reports a negative value). */
  private static Double loadAt(double[] loads, int i) {
    return loads != null && loads.length > i && loads[i] >= 0 ? loads[i] : null;
  }

  private static Integer positive(int value) {
    return value > 0 ? value : null;
  }

  private static Long positive(long value) {
    return value > 0 ? value : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static <T> T quietly(String what, Supplier<T> read) {
    try {
      return read.get();
    } catch (RuntimeException | LinkageError e) {
      log.debug("Could not read {} from OSHI", what, e);
      return null;
    }
  }
}
