package dev.ocean.server.node;

import dev.ocean.common.api.agent.RunId;
import dev.ocean.common.api.node.DiskInfo;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.GpuProcess;
import dev.ocean.common.api.node.GpuSample;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.error.TooLarge;
import java.util.List;
import java.util.Set;

/**
 * Bounds on everything a node sends (registration, heartbeats), so a broken or hostile agent cannot
 * fill the server's memory or database: list lengths, string lengths and numbers in range. A value
 * out of bounds is a 400 naming the field; a body over {@link #MAX_BODY_BYTES} a 413.
 */
public final class NodeReportLimits {
  /** Largest body an agent may send to register or heartbeat. */
  public static final int MAX_BODY_BYTES = 512 * 1024;

  static final int MAX_GPUS = 64;
  static final int MAX_PROCESSES_PER_GPU = 256;
  static final int MAX_DISKS = 256;
  static final int MAX_TEXT = 256;
  static final int MAX_MESSAGE = 1024;
  static final int MAX_AGENT_VERSION = 64;
  static final int MAX_ACTIVE_RUNS = 256;
  private static final Set<String> RUNTIMES = Set.of(RuntimeInfo.DOCKER, RuntimeInfo.PROCESS);
  private static final Set<String> HANDOFFS =
      Set.of(
          RuntimeInfo.HANDOFF_NVIDIA_RUNTIME,
          RuntimeInfo.HANDOFF_CDI,
          RuntimeInfo.HANDOFF_ENV,
          RuntimeInfo.HANDOFF_NONE);

  private NodeReportLimits() {}

  /** Refuses a body larger than {@link #MAX_BODY_BYTES} with a 413. */
  public static void checkBodySize(long bytes) {
    if (bytes > MAX_BODY_BYTES) {
      throw new TooLarge(
          null, "an agent request may carry at most " + MAX_BODY_BYTES + " bytes, not " + bytes);
    }
  }

  public static void check(Registration reg) {
    text("agentVersion", reg.agentVersion(), MAX_AGENT_VERSION);
    if (reg.protocol() < 1) {
      throw bad("protocol", "protocol must be at least 1, not " + reg.protocol());
    }
    if (reg.facts() != null) {
      check("facts", reg.facts());
    }
    if (reg.metrics() != null) {
      check("metrics", reg.metrics());
    }
  }

  public static void check(String at, NodeFacts f) {
    text(at + ".hostname", f.hostname(), MAX_TEXT);
    text(at + ".os", f.os(), MAX_TEXT);
    text(at + ".arch", f.arch(), MAX_TEXT);
    text(at + ".cpuModel", f.cpuModel(), MAX_TEXT);
    range(at + ".cpuCores", f.cpuCores(), 0, 1 << 20);
    range(at + ".memoryTotalBytes", f.memoryTotalBytes(), 0, Long.MAX_VALUE);
    size(at + ".disks", f.disks(), MAX_DISKS);
    for (int i = 0; i < f.disks().size(); i++) {
      DiskInfo d = f.disks().get(i);
      String p = at + ".disks[" + i + "]";
      text(p + ".mount", d.mount(), MAX_MESSAGE);
      range(p + ".totalBytes", d.totalBytes(), 0, Long.MAX_VALUE);
      range(p + ".freeBytes", d.freeBytes(), 0, Long.MAX_VALUE);
    }
    size(at + ".gpus", f.gpus(), MAX_GPUS);
    for (int i = 0; i < f.gpus().size(); i++) {
      GpuInfo g = f.gpus().get(i);
      String p = at + ".gpus[" + i + "]";
      range(p + ".index", g.index(), 0, MAX_GPUS * 16);
      text(p + ".uuid", g.uuid(), MAX_TEXT);
      text(p + ".name", g.name(), MAX_TEXT);
      range(p + ".memoryTotalMib", g.memoryTotalMib(), 0, Integer.MAX_VALUE);
      text(p + ".problem", g.problem(), MAX_MESSAGE);
    }
    RuntimeInfo r = f.runtime();
    if (r != null) {
      oneOf(at + ".runtime.kind", r.kind(), RUNTIMES);
      oneOf(at + ".runtime.gpuHandoff", r.gpuHandoff(), HANDOFFS);
      text(at + ".runtime.problem", r.problem(), MAX_MESSAGE);
    }
  }

  public static void check(String at, NodeMetrics m) {
    percent(at + ".cpuUtilisation", m.cpuUtilisation());
    for (String load : List.of("load1", "load5", "load15")) {
      Double v = load.equals("load1") ? m.load1() : load.equals("load5") ? m.load5() : m.load15();
      number(at + "." + load, v, 0, 1e7);
    }
    range(at + ".memoryUsedBytes", m.memoryUsedBytes(), 0, Long.MAX_VALUE);
    range(at + ".memoryTotalBytes", m.memoryTotalBytes(), 0, Long.MAX_VALUE);
    range(at + ".networkRxBytes", m.networkRxBytes(), 0, Long.MAX_VALUE);
    range(at + ".networkTxBytes", m.networkTxBytes(), 0, Long.MAX_VALUE);
    size(at + ".gpus", m.gpus(), MAX_GPUS);
    for (int i = 0; i < m.gpus().size(); i++) {
      GpuSample g = m.gpus().get(i);
      String p = at + ".gpus[" + i + "]";
      range(p + ".index", g.index(), 0, MAX_GPUS * 16);
      text(p + ".uuid", g.uuid(), MAX_TEXT);
      range(p + ".utilisationGpu", g.utilisationGpu(), 0, 100);
      range(p + ".utilisationMemory", g.utilisationMemory(), 0, 100);
      range(p + ".memoryUsedMib", g.memoryUsedMib(), 0, Integer.MAX_VALUE);
      range(p + ".memoryTotalMib", g.memoryTotalMib(), 0, Integer.MAX_VALUE);
      range(p + ".temperatureC", g.temperatureC(), -100, 300);
      number(p + ".powerDrawW", g.powerDrawW(), 0, 1e5);
      number(p + ".powerLimitW", g.powerLimitW(), 0, 1e5);
      text(p + ".problem", g.problem(), MAX_MESSAGE);
      size(p + ".processes", g.processes(), MAX_PROCESSES_PER_GPU);
      for (int j = 0; j < g.processes().size(); j++) {
        GpuProcess proc = g.processes().get(j);
        String q = p + ".processes[" + j + "]";
        range(q + ".pid", proc.pid(), 0, Integer.MAX_VALUE);
        text(q + ".processName", proc.processName(), MAX_MESSAGE);
        range(q + ".usedMemoryMib", proc.usedMemoryMib(), 0, Integer.MAX_VALUE);
      }
    }
  }

  /** At most {@link #MAX_ACTIVE_RUNS} entries, each a run id ({@code JOB-INDEX[.ATTEMPT]}). */
  public static List<RunId> activeRuns(List<String> runs) {
    size("activeRuns", runs, MAX_ACTIVE_RUNS);
    List<RunId> ids = new java.util.ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      String field = "activeRuns[" + i + "]";
      ids.add(
          RunId.tryParse(runs.get(i))
              .orElseThrow(() -> bad(field, field + " must be a run id like 12-0.1")));
    }
    return ids;
  }

  private static void text(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw bad(field, field + " must be at most " + max + " characters, not " + value.length());
    }
  }

  private static void size(String field, List<?> list, int max) {
    if (list.size() > max) {
      throw bad(field, field + " may list at most " + max + " entries, not " + list.size());
    }
  }

  private static void oneOf(String field, String value, Set<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw bad(field, field + " must be one of " + allowed.stream().sorted().toList());
    }
  }

  private static void range(String field, Number value, long min, long max) {
    if (value != null && (value.longValue() < min || value.longValue() > max)) {
      throw bad(field, field + " must be between " + min + " and " + max + ", not " + value);
    }
  }

  private static void percent(String field, Double value) {
    number(field, value, 0, 100);
  }

  private static void number(String field, Double value, double min, double max) {
    if (value != null && (!Double.isFinite(value) || value < min || value > max)) {
      throw bad(field, field + " must be between " + min + " and " + max + ", not " + value);
    }
  }

  private static Invalid bad(String field, String detail) {
    return new Invalid(field, detail);
  }
}
