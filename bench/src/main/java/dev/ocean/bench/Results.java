package dev.ocean.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints one row per figure and writes it as JSON under the results directory, with the machine
 * (processors, memory), the database and the target, so runs on other machines compare.
 */
final class Results {
  private final Path dir;
  private final String db;

  Results(Path dir, String db) {
    this.dir = dir;
    this.db = db;
  }

  /** One figure of a scenario: {@code value} in {@code unit} against {@code target}. */
  void row(
      String scenario,
      String figure,
      double value,
      String unit,
      String target,
      Map<String, Object> details) {
    System.out.printf(
        Locale.ROOT,
        "%-10s %-46s %12s %-6s target %-12s [%s]%n",
        scenario,
        figure,
        format(value),
        unit,
        target,
        db);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("scenario", scenario);
    json.put("figure", figure);
    json.put("value", value);
    json.put("unit", unit);
    json.put("target", target);
    json.put("database", db);
    json.put("machine", machine());
    json.put("at", Instant.now().toString());
    json.put("details", details);
    String file =
        (scenario + "-" + figure + "-" + db)
                .replaceAll("[^A-Za-z0-9.-]+", "_")
                .toLowerCase(Locale.ROOT)
            + ".json";
    try {
      Files.createDirectories(dir);
      Http.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(file).toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nproc", Runtime.getRuntime().availableProcessors());
    m.put("ramMib", Proc.memTotalMib());
    m.put("java", System.getProperty("java.vm.version"));
    m.put("loadavg", loadAvg());
    return m;
  }

  private static String loadAvg() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e12) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%.2f", v);
  }

  /** The {@code p}th percentile (0..100) of {@code values}, which it sorts. */
  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(values);
    int i = (int) Math.ceil(p / 100.0 * values.length) - 1;
    return values[Math.max(0, Math.min(values.length - 1, i))];
  }

  static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
