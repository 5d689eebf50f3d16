package dev.ocean.agent.facts;

import dev.ocean.common.api.node.DiskInfo;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.NodeFacts;
import java.util.Locale;

/**
 * Renders node facts as the human text {@code ocean-agent gpus} prints, in the spirit of {@code
 * slurmd -C}: one labelled line per host fact, then one line per GPU.
 *
 * <pre>
 * host     gpu01
 * os       Ubuntu 22.04.4 LTS (amd64)
 * cpus     128 (AMD EPYC 7763 64-Core Processor)
 * memory   1007.7 GiB
 * disk     /  1.7 TiB, 1.2 TiB free
 * gpus     8
 *   0  NVIDIA H100 80GB HBM3  81559 MiB  GPU-f161e74c-29bc-4664-80bf-c647fe227959
 * </pre>
 */
public final class FactsReport {

  private static final String UNKNOWN = "unknown";

  private FactsReport() {}

  /** Renders {@code facts}; with no GPUs, says so without a reason. */
  public static String render(NodeFacts facts) {
    return render(facts, null);
  }

  /**
   * Renders {@code facts}; with no GPUs, {@code whyNoGpus} (e.g. "nvidia-smi not found on PATH",
   * may be null) is shown in parentheses so an admin knows what to fix.
   */
  public static String render(NodeFacts facts, String whyNoGpus) {
    StringBuilder out = new StringBuilder();
    line(out, "host", orUnknown(facts.hostname()));
    line(
        out, "os", orUnknown(facts.os()) + (facts.arch() == null ? "" : " (" + facts.arch() + ")"));
    line(
        out,
        "cpus",
        orUnknown(facts.cpuCores())
            + (facts.cpuModel() == null ? "" : " (" + facts.cpuModel() + ")"));
    line(out, "memory", bytes(facts.memoryTotalBytes()));
    int mountWidth =
        facts.disks().stream().mapToInt(d -> orUnknown(d.mount()).length()).max().orElse(0);
    for (DiskInfo disk : facts.disks()) {
      line(
          out,
          "disk",
          pad(orUnknown(disk.mount()), mountWidth)
              + "  "
              + bytes(disk.totalBytes())
              + ", "
              + bytes(disk.freeBytes())
              + " free");
    }
    if (facts.gpus().isEmpty()) {
      line(
          out,
          "gpus",
          "no NVIDIA GPUs detected" + (whyNoGpus == null ? "" : " (" + whyNoGpus + ")"));
      return out.toString();
    }
    line(out, "gpus", String.valueOf(facts.gpus().size()));
    int indexWidth = facts.gpus().stream().mapToInt(g -> digits(g.index())).max().orElse(1);
    int nameWidth = facts.gpus().stream().mapToInt(g -> name(g).length()).max().orElse(0);
    int memWidth = facts.gpus().stream().mapToInt(g -> mib(g).length()).max().orElse(0);
    for (GpuInfo gpu : facts.gpus()) {
      out.append("  ")
          .append(" ".repeat(indexWidth - digits(gpu.index())))
          .append(gpu.index())
          .append("  ")
          .append(pad(name(gpu), nameWidth))
          .append("  ")
          .append(" ".repeat(memWidth - mib(gpu).length()))
          .append(mib(gpu))
          .append("  ")
          .append(orUnknown(gpu.uuid()))
          .append('\n');
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append(pad(label, 9)).append(value).append('\n');
  }

  private static String name(GpuInfo gpu) {
    return orUnknown(gpu.name());
  }

  private static String mib(GpuInfo gpu) {
    return gpu.memoryTotalMib() == null ? UNKNOWN : gpu.memoryTotalMib() + " MiB";
  }

  private static int digits(int n) {
    return String.valueOf(n).length();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  private static String orUnknown(Object value) {
    return value == null ? UNKNOWN : value.toString();
  }

  /** Binary units with one decimal, as {@code free -h} does, so totals compare at a glance. */
  static String bytes(Long value) {
    if (value == null) {
      return UNKNOWN;
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = value;
    int unit = 0;
    while (v >= 1024 && unit < units.length - 1) {
      v /= 1024;
      unit++;
    }
    return unit == 0 ? value + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
  }
}
