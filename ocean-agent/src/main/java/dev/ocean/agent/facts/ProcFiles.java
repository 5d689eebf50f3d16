package dev.ocean.agent.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parsers of the Linux files {@link ProcHostSource} reads ({@code /proc/stat}, {@code
 * /proc/meminfo}, {@code /proc/loadavg}, {@code /proc/net/dev}, {@code /proc/cpuinfo}, {@code
 * /proc/mounts}, {@code /etc/os-release}), kept pure so fixtures test them.
 */
final class ProcFiles {
  private ProcFiles() {}

  // Kernel and memory file systems: no disk a job could fill.
  private static final Set<String> PSEUDO_FS =
      Set.of(
          "proc",
          "sysfs",
          "devtmpfs",
          "devpts",
          "tmpfs",
          "ramfs",
          "squashfs",
          "efivarfs",
          "cgroup",
          "cgroup2",
          "securityfs",
          "debugfs",
          "tracefs",
          "configfs",
          "fusectl",
          "pstore",
          "bpf",
          "mqueue",
          "hugetlbfs",
          "autofs",
          "binfmt_misc",
          "rpc_pipefs",
          "nsfs",
          "selinuxfs",
          "rootfs",
          "fuse.lxcfs",
          "fuse.gvfsd-fuse",
          "fuse.portal");

  // statvfs on a stale network mount can block for minutes, so these are never sized.
  private static final Set<String> NETWORK_FS =
      Set.of(
          "nfs",
          "nfs4",
          "cifs",
          "smb3",
          "smbfs",
          "ncpfs",
          "afs",
          "9p",
          "ceph",
          "glusterfs",
          "fuse.glusterfs",
          "fuse.sshfs",
          "sshfs",
          "davfs",
          "fuse.s3fs",
          "lustre",
          "gpfs",
          "fuse.rclone",
          "fuse.ceph");

  // Mounts of the kernel, of runtime state and of container storage (one per running container).
  private static final List<String> IGNORED_PATHS =
      List.of("/proc", "/sys", "/dev", "/run", "/var/lib/docker", "/var/lib/containers", "/snap");

  /** USER, NICE, SYSTEM, IDLE, IOWAIT, IRQ, SOFTIRQ and STEAL ticks of the {@code cpu} line. */
  static long[] cpuTicks(String stat) {
    for (String line : stat.split("\n")) {
      if (line.startsWith("cpu ")) {
        String[] f = line.trim().split("\\s+");
        long[] ticks = new long[8];
        for (int i = 0; i < ticks.length && i + 1 < f.length; i++) {
          ticks[i] = Long.parseLong(f[i + 1]);
        }
        return ticks;
      }
    }
    return null;
  }

  /** The share of time (0..1) not idle or waiting for I/O between two readings; null: no tick. */
  static Double busyShare(long[] before, long[] after) {
    long total = 0;
    for (int i = 0; i < after.length; i++) {
      total += after[i] - before[i];
    }
    if (total <= 0) {
      return null;
    }
    long idle = (after[3] - before[3]) + (after[4] - before[4]);
    return (double) (total - idle) / total;
  }

  /** The 1, 5 and 15 minute load averages. */
  static double[] loadAverages(String loadavg) {
    String[] f = loadavg.trim().split("\\s+");
    return new double[] {
      Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])
    };
  }

  /**
   * Total and available memory in bytes (each null when unknown); without {@code MemAvailable}
   * (kernels before 3.14) free plus buffers plus page cache.
   */
  static Long[] memory(String meminfo) {
    Long total = null;
    Long available = null;
    long free = 0;
    long buffers = 0;
    long cached = 0;
    for (String line : meminfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon);
      String[] value = line.substring(colon + 1).trim().split("\\s+");
      long bytes = Long.parseLong(value[0]) * (value.length > 1 ? 1024 : 1);
      switch (key) {
        case "MemTotal" -> total = bytes > 0 ? bytes : null;
        case "MemAvailable" -> available = bytes;
        case "MemFree" -> free = bytes;
        case "Buffers" -> buffers = bytes;
        case "Cached" -> cached = bytes;
        default -> {}
      }
    }
    if (available == null && total != null) {
      available = free + buffers + cached;
    }
    return new Long[] {total, available};
  }

  /** Bytes received and sent by the interfaces whose names start with none of {@code skipped}. */
  static long[] networkTotals(String netDev, List<String> skipped) {
    long rx = 0;
    long tx = 0;
    for (String line : netDev.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue; // the two header lines
      }
      String name = line.substring(0, colon).trim();
      if (skipped.stream().anyMatch(name::startsWith)) {
        continue;
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      rx += Long.parseLong(f[0]);
      tx += Long.parseLong(f[8]);
    }
    return new long[] {rx, tx};
  }

  /** The first {@code model name} (x86) or {@code Processor} (older ARM kernels); null: none. */
  static String cpuModel(String cpuinfo) {
    String model = field(cpuinfo, "model name");
    return model != null ? model : field(cpuinfo, "Processor");
  }

  /** How many logical CPUs the host has ({@code processor} entries); null: none listed. */
  static Integer logicalCpus(String cpuinfo) {
    int count = 0;
    for (String line : cpuinfo.split("\n")) {
      if (line.startsWith("processor") && line.contains(":")) {
        count++;
      }
    }
    return count > 0 ? count : null;
  }

  /** {@code NAME VERSION_ID} of os-release, e.g. "Ubuntu 24.04"; "Linux" without a NAME. */
  static String osName(String osRelease) {
    String name = null;
    String version = null;
    for (String line : osRelease.split("\n")) {
      if (line.startsWith("NAME=")) {
        name = unquote(line.substring(5));
      } else if (line.startsWith("VERSION_ID=")) {
        version = unquote(line.substring(11));
      }
    }
    name = name == null || name.isBlank() ? "Linux" : name;
    return version == null || version.isBlank() ? name : name + " " + version;
  }

  /**
   * The mount points of local, disk-backed file systems, in file order: no kernel or memory file
   * systems, no network ones, nothing under {@link #IGNORED_PATHS}.
   */
  static List<String> localMounts(String mounts) {
    List<String> local = new ArrayList<>();
    for (String line : mounts.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 3) {
        continue;
      }
      String path = unescape(f[1]);
      String type = f[2];
      if (PSEUDO_FS.contains(type) || NETWORK_FS.contains(type) || ignored(path)) {
        continue;
      }
      local.add(path);
    }
    return local;
  }

  private static boolean ignored(String path) {
    for (String prefix : IGNORED_PATHS) {
      if (path.equals(prefix) || path.startsWith(prefix + "/")) {
        return true;
      }
    }
    return false;
  }

  /** /proc/mounts writes a space, tab, newline or backslash in a path as a 3-digit octal escape. */
  private static String unescape(String path) {
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\' && i + 3 < path.length() && path.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(path.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String field(String cpuinfo, String key) {
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
        String value = line.substring(colon + 1).strip();
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  private static String unquote(String value) {
    String v = value.strip();
    if (v.length() >= 2
        && (v.startsWith("\"") || v.startsWith("'"))
        && v.endsWith(v.substring(0, 1))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }
}
