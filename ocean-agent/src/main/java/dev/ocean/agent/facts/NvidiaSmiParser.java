package dev.ocean.agent.facts;

import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.GpuProcess;
import dev.ocean.common.api.node.GpuSample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@code nvidia-smi --format=csv} text into Ocean's GPU records, without running anything.
 *
 * <p>Whatever nvidia-smi prints, this never throws: {@code [N/A]}, {@code [Not Supported]}, empty
 * cells and unreadable values become {@code null} (unknown), and lines that are not data rows (such
 * as "No devices were found") are skipped. It reads output with or without a header line and with
 * or without units, because a wrapper script or an old driver may ignore {@code noheader} or {@code
 * nounits}; when a header is present its column order wins over the expected one.
 */
public final class NvidiaSmiParser {

  /** Fields of {@code --query-gpu}, in the order {@link NvidiaSmiGpuSource} asks for them. */
  public static final List<String> GPU_FIELDS =
      List.of(
          "index",
          "uuid",
          "name",
          "memory.total",
          "memory.used",
          "utilization.gpu",
          "utilization.memory",
          "temperature.gpu",
          "power.draw",
          "power.limit");

  /** Fields of {@code --query-compute-apps}, in the order {@link NvidiaSmiGpuSource} asks. */
  public static final List<String> APP_FIELDS =
      List.of("gpu_uuid", "pid", "process_name", "used_memory");

  // nvidia-smi accepts several names for some fields, and its header may use another one than
  // the query did ("used_gpu_memory [MiB]" for used_memory).
  private static final Map<String, String> GPU_ALIASES =
      Map.of("gpu_name", "name", "gpu_uuid", "uuid");
  private static final Map<String, String> APP_ALIASES = Map.of("used_gpu_memory", "used_memory");

  private static final Pattern NUMBER =
      Pattern.compile("([-+]?\\d+(?:\\.\\d+)?)\\s*(?:MiB|%|W|C)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern HEADER_UNIT = Pattern.compile("\\s*\\[[^]]*]$");

  private NvidiaSmiParser() {}

  /**
   * Parses {@code --query-gpu} output into samples without processes. A GPU that nvidia-smi could
   * not read (a row of {@code [Unknown Error]}) is kept, with nvidia-smi's message as its problem.
   */
  public static List<GpuSample> parseGpus(String csv) {
    List<GpuSample> gpus = new ArrayList<>();
    Table table = gpuTable(csv);
    for (Map<String, String> row : table.rows()) {
      Integer index = toInt(number(row.get("index")));
      gpus.add(
          new GpuSample(
              // The index is the GPU's identity for scheduling; if it is unreadable the row
              // position is what nvidia-smi's enumeration order gives anyway.
              index != null ? index : gpus.size(),
              text(row.get("uuid")),
              toInt(number(row.get("utilization.gpu"))),
              toInt(number(row.get("utilization.memory"))),
              toInt(number(row.get("memory.used"))),
              toInt(number(row.get("memory.total"))),
              toInt(number(row.get("temperature.gpu"))),
              number(row.get("power.draw")),
              number(row.get("power.limit")),
              List.of(),
              table.problemOf(row)));
    }
    return List.copyOf(gpus);
  }

  /**
   * Parses {@code --query-compute-apps} output into processes grouped by GPU UUID, in output order.
   * Processes whose GPU UUID is unknown are dropped: they cannot be attributed.
   */
  public static Map<String, List<GpuProcess>> parseApps(String csv) {
    Map<String, List<GpuProcess>> byGpu = new LinkedHashMap<>();
    for (Map<String, String> row :
        rows(csv, APP_FIELDS, APP_ALIASES, "process_name", new ArrayList<>())) {
      String gpuUuid = text(row.get("gpu_uuid"));
      if (gpuUuid == null || !(gpuUuid.startsWith("GPU-") || gpuUuid.startsWith("MIG-"))) {
        continue;
      }
      byGpu
          .computeIfAbsent(gpuUuid, k -> new ArrayList<>())
          .add(
              new GpuProcess(
                  toInt(number(row.get("pid"))),
                  text(row.get("process_name")),
                  toInt(number(row.get("used_memory")))));
    }
    byGpu.replaceAll((uuid, processes) -> List.copyOf(processes));
    return Collections.unmodifiableMap(byGpu);
  }

  /** Parses both queries' output and attaches each process to its GPU by UUID. */
  public static List<GpuSample> parseSamples(String gpuCsv, String appsCsv) {
    Map<String, List<GpuProcess>> apps = parseApps(appsCsv);
    return parseGpus(gpuCsv).stream()
        .map(g -> g.uuid() == null ? g : g.withProcesses(apps.getOrDefault(g.uuid(), List.of())))
        .toList();
  }

  /** Parses {@code --query-gpu} output into GPU identities; unreadable GPUs carry a problem. */
  public static List<GpuInfo> parseInfos(String csv) {
    List<GpuInfo> infos = new ArrayList<>();
    Table table = gpuTable(csv);
    for (Map<String, String> row : table.rows()) {
      Integer index = toInt(number(row.get("index")));
      infos.add(
          new GpuInfo(
              index != null ? index : infos.size(),
              text(row.get("uuid")),
              text(row.get("name")),
              toInt(number(row.get("memory.total"))),
              table.problemOf(row)));
    }
    return List.copyOf(infos);
  }

  /**
   * The lines of nvidia-smi's output that are messages, not rows or a header (e.g. "Unable to
   * determine the device handle for GPU0000:81:00.0: Unknown Error").
   */
  public static List<String> messages(String csv) {
    return gpuTable(csv).messages();
  }

  /** Rows of a GPU query, the message lines around them, and which rows are broken GPUs. */
  private record Table(List<Map<String, String>> rows, List<String> messages) {

    /** Null for a readable GPU; nvidia-smi's message for a row it could not read at all. */
    String problemOf(Map<String, String> row) {
      for (Map.Entry<String, String> cell : row.entrySet()) {
        if (!cell.getKey().equals("index") && text(cell.getValue()) != null) {
          return null;
        }
      }
      List<Map<String, String>> broken =
          rows.stream().filter(r -> r.keySet().stream().allMatch(k -> unreadable(r, k))).toList();
      List<String> handles =
          messages.stream().filter(m -> m.contains("device handle") || m.contains("GPU")).toList();
      int which = broken.indexOf(row);
      if (handles.size() == broken.size() && which >= 0) {
        return bounded(handles.get(which));
      }
      if (!handles.isEmpty()) {
        return bounded(String.join("; ", handles));
      }
      String cell = row.values().stream().filter(v -> v.startsWith("[")).findFirst().orElse("");
      return ("nvidia-smi cannot read this GPU " + cell).strip();
    }

    /** Messages travel to the server, which takes at most 1024 characters. */
    private static String bounded(String text) {
      return text.length() > 1000 ? text.substring(0, 1000) + "…" : text;
    }

    private static boolean unreadable(Map<String, String> row, String key) {
      return key.equals("index") || text(row.get(key)) == null;
    }
  }

  private static Table gpuTable(String csv) {
    List<String> messages = new ArrayList<>();
    List<Map<String, String>> rows = new ArrayList<>();
    for (Map<String, String> row : rows(csv, GPU_FIELDS, GPU_ALIASES, "name", messages)) {
      String index = row.get("index");
      // A data row starts with an index (a number, or a bracketed "[Unknown Error]"); anything
      // else is a message that merely contains commas, and never a GPU.
      if (index != null && (toInt(number(index)) != null || text(index) == null)) {
        rows.add(row);
      } else {
        messages.add(String.join(", ", row.values()));
      }
    }
    return new Table(List.copyOf(rows), List.copyOf(messages));
  }

  /**
   * Splits CSV text into rows keyed by field name. {@code freeText} is the one column that may
   * itself contain commas (a GPU or process name): surplus cells are joined back into it, so the
   * other columns keep their positions.
   */
  private static List<Map<String, String>> rows(
      String csv,
      List<String> fields,
      Map<String, String> aliases,
      String freeText,
      List<String> messages) {
    List<Map<String, String>> rows = new ArrayList<>();
    if (csv == null) {
      return rows;
    }
    List<String> columns = fields;
    boolean first = true;
    for (String line : csv.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (String cell : line.split(",", -1)) {
        cells.add(cell.strip());
      }
      if (first) {
        first = false;
        List<String> header = headerColumns(cells, fields, aliases);
        if (header != null) {
          columns = header;
          continue;
        }
      }
      // A single cell is a message ("No devices were found"), not a row of a multi-field query.
      if (cells.size() < 2 && columns.size() >= 2) {
        messages.add(line.strip());
        continue;
      }
      rows.add(toRow(cells, columns, freeText));
    }
    return rows;
  }

  /** Returns the column order a header line names, or null if the line is not a header. */
  private static List<String> headerColumns(
      List<String> cells, List<String> fields, Map<String, String> aliases) {
    List<String> columns = new ArrayList<>();
    for (String cell : cells) {
      String name = HEADER_UNIT.matcher(cell).replaceFirst("").strip();
      name = aliases.getOrDefault(name, name);
      if (!fields.contains(name)) {
        return null;
      }
      columns.add(name);
    }
    return columns;
  }

  private static Map<String, String> toRow(
      List<String> cells, List<String> columns, String freeText) {
    int surplus = cells.size() - columns.size();
    int free = columns.indexOf(freeText);
    if (surplus > 0 && free >= 0) {
      String joined = String.join(", ", cells.subList(free, free + surplus + 1));
      List<String> merged = new ArrayList<>(cells.subList(0, free));
      merged.add(joined);
      merged.addAll(cells.subList(free + surplus + 1, cells.size()));
      cells = merged;
    }
    Map<String, String> row = new java.util.LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      // Missing trailing cells stay absent, which reads as unknown.
      if (i < cells.size()) {
        row.put(columns.get(i), cells.get(i));
      }
    }
    return row;
  }

  /** Text of a cell, or null for nvidia-smi's "unknown" spellings. */
  static String text(String cell) {
    if (cell == null) {
      return null;
    }
    String s = cell.strip();
    if (s.isEmpty() || s.equalsIgnoreCase("N/A") || (s.startsWith("[") && s.endsWith("]"))) {
      return null;
    }
    return s;
  }

  /** Number in a cell, with an optional unit ("80 MiB", "250.00 W"), or null if unreadable. */
  static Double number(String cell) {
    String s = text(cell);
    if (s == null) {
      return null;
    }
    Matcher m = NUMBER.matcher(s);
    if (!m.matches()) {
      return null;
    }
    double value = Double.parseDouble(m.group(1));
    return Double.isFinite(value) ? value : null;
  }

  private static Integer toInt(Double value) {
    if (value == null || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      return null;
    }
    return (int) Math.round(value);
  }
}
