package dev.ocean.cli.node;

import dev.ocean.cli.base.Style;
import dev.ocean.cli.base.Styled;
import dev.ocean.cli.base.Text;
import dev.ocean.common.api.node.Node;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Renders one frame of {@code ocean top}: pure, so it is tested without a terminal. */
public final class TopFrame {
  private static final int BAR = 20;
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private TopFrame() {}

  public static String render(List<Node> nodes, Instant now, Style s) {
    StringBuilder b = new StringBuilder();
    int ready = 0;
    int gpus = 0;
    int used = 0;
    for (Node n : nodes) {
      ready += n.state().equals("ready") ? 1 : 0;
      gpus += n.gpus();
      used += n.gpusUsed();
    }
    b.append(s.bold("Ocean cluster"))
        .append("  ")
        .append(CLOCK.format(now))
        .append(" UTC   nodes ")
        .append(ready)
        .append("/")
        .append(nodes.size())
        .append(" ready   GPUs ")
        .append(used)
        .append("/")
        .append(gpus)
        .append(" in use\n\n");
    if (nodes.isEmpty()) {
      b.append("No nodes yet: add one with `ocean admin node token` and `ocean-agent join`.\n");
    }
    for (Node n : nodes) {
      Double cpu = n.metrics() == null ? null : n.metrics().cpuUtilisation();
      Double mem = null;
      if (n.metrics() != null && n.metrics().memoryUsedBytes() != null && n.memoryBytes() > 0) {
        mem = 100.0 * n.metrics().memoryUsedBytes() / n.memoryBytes();
      }
      b.append(s.bold(n.name()))
          .append(" ")
          .append(s.state(n.state()))
          .append("  ")
          .append(n.cpus())
          .append(" CPU  ")
          .append(Units.gib(n.memoryBytes()))
          .append("\n");
      b.append("  cpu ").append(bar(cpu, s)).append("   mem ").append(bar(mem, s)).append("\n");
      for (Node.Gpu g : n.gpuList()) {
        Double gm = null;
        if (g.memoryUsedMib() != null && g.memoryTotalMib() != null && g.memoryTotalMib() > 0) {
          gm = 100.0 * g.memoryUsedMib() / g.memoryTotalMib();
        }
        b.append("  gpu")
            .append(g.index())
            .append(" ")
            .append(bar(g.utilisationGpu() == null ? null : g.utilisationGpu().doubleValue(), s))
            .append("   mem ")
            .append(bar(gm, s))
            .append("  ")
            .append(Units.temp(g.temperatureC()))
            .append("  ")
            .append(Units.watts(g.powerDrawW(), g.powerLimitW()))
            .append(g.heldBy() == null ? "" : "  " + Text.safe(g.heldBy()))
            .append("\n");
      }
      b.append("\n");
    }
    return b.toString();
  }

  /** A bar like {@code [#######.............] 35%}; unknown values show as {@code ?}. */
  static String bar(Double pct, Style s) {
    if (pct == null || pct.isNaN()) {
      return "[" + ".".repeat(BAR) + "]    ?";
    }
    double p = Math.max(0, Math.min(100, pct));
    int filled = (int) Math.round(p / 100 * BAR);
    String fill = "#".repeat(filled);
    Styled colored = p >= 90 ? s.red(fill) : p >= 60 ? s.yellow(fill) : s.green(fill);
    return "[" + colored + ".".repeat(BAR - filled) + "] " + String.format("%3d%%", Math.round(p));
  }
}
