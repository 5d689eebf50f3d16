package dev.ocean.server.metrics;

import dev.ocean.common.api.node.Node;
import dev.ocean.server.node.NodeDirectory;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code /metrics} endpoint in Prometheus text format: per node and per GPU gauges read at
 * scrape time, queue and job counts, API latency. Counts only, never user data.
 */
public final class ClusterMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final NodeDirectory nodes;
  private final Histogram apiLatency;
  private final String tokenHash;

  /** Counts the job side provides: queue length and jobs by state. */
  public interface JobCounts {
    int queued();

    Map<String, Integer> byState();

    JobCounts NONE =
        new JobCounts() {
          @Override
          public int queued() {
            return 0;
          }

          @Override
          public Map<String, Integer> byState() {
            return Map.of();
          }
        };
  }

  public ClusterMetrics(NodeDirectory nodes, Supplier<JobCounts> jobs, String token) {
    this.nodes = nodes;
    this.tokenHash =
        token == null || token.isEmpty() ? null : dev.ocean.server.user.Tokens.hash(token);
    this.apiLatency =
        Histogram.builder()
            .name("ocean_api_request_duration_seconds")
            .help("API request latency")
            .labelNames("method", "route", "status")
            .register(registry);
    nodeGauge("ocean_node_up", "1 when the node is ready or draining, else 0", n -> up(n));
    nodeGauge("ocean_node_cpus", "CPUs of the node", n -> n.cpus());
    nodeGauge("ocean_node_memory_bytes", "memory of the node", n -> n.memoryBytes());
    nodeGauge(
        "ocean_node_cpu_utilisation_percent",
        "CPU utilisation",
        n ->
            n.metrics() == null || n.metrics().cpuUtilisation() == null
                ? Double.NaN
                : n.metrics().cpuUtilisation());
    nodeGauge(
        "ocean_node_memory_used_bytes",
        "memory in use",
        n ->
            n.metrics() == null || n.metrics().memoryUsedBytes() == null
                ? Double.NaN
                : n.metrics().memoryUsedBytes());
    nodeGauge("ocean_node_gpus", "GPUs of the node", n -> n.gpus());
    nodeGauge("ocean_node_gpus_used", "GPUs assigned to runs", n -> n.gpusUsed());
    gpuGauge("ocean_gpu_utilisation_percent", "GPU utilisation", g -> num(g.utilisationGpu()));
    gpuGauge("ocean_gpu_memory_used_mib", "GPU memory in use", g -> num(g.memoryUsedMib()));
    gpuGauge("ocean_gpu_memory_total_mib", "GPU memory", g -> num(g.memoryTotalMib()));
    gpuGauge("ocean_gpu_temperature_celsius", "GPU temperature", g -> num(g.temperatureC()));
    gpuGauge("ocean_gpu_power_draw_watts", "GPU power draw", g -> num(g.powerDrawW()));
    gpuGauge("ocean_gpu_power_limit_watts", "GPU power limit", g -> num(g.powerLimitW()));
    gpuGauge("ocean_gpu_allocated", "1 when a run holds the GPU", g -> g.heldBy() == null ? 0 : 1);
    GaugeWithCallback.builder()
        .name("ocean_queue_length")
        .help("runs waiting in the queue")
        .callback(cb -> cb.call(jobs.get().queued()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("ocean_jobs")
        .help("jobs by state")
        .labelNames("state")
        .callback(cb -> jobs.get().byState().forEach((s, n) -> cb.call(n, s)))
        .register(registry);
  }

  private interface NodeValue {
    double of(Node n);
  }

  private interface GpuValue {
    double of(Node.Gpu g);
  }

  private void nodeGauge(String name, String help, NodeValue value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("node", "state")
        .callback(cb -> nodes.list().forEach(n -> cb.call(value.of(n), n.name(), n.state())))
        .register(registry);
  }

  private void gpuGauge(String name, String help, GpuValue value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("node", "index", "model")
        .callback(
            cb -> {
              List<Node.Gpu> gpus = nodes.gpus();
              gpus.forEach(
                  g ->
                      cb.call(
                          value.of(g),
                          g.node(),
                          String.valueOf(g.index()),
                          g.model() == null ? "unknown" : g.model()));
            })
        .register(registry);
  }

  private static double up(Node n) {
    return n.state().equals("ready") || n.state().equals("draining") ? 1 : 0;
  }

  private static double num(Number n) {
    return n == null ? Double.NaN : n.doubleValue();
  }

  /** The methods that get their own label; any other method name is counted as {@code other}. */
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  /**
   * Records one API call (from the request logger). Labels come from fixed sets only: the route
   * template (never the raw path) or {@code unmatched}, a known method or {@code other}, so no
   * request can mint a new series.
   */
  public void observe(Context ctx, float millis) {
    String method = ctx.method().name();
    apiLatency
        .labelValues(
            METHODS.contains(method) ? method : "other",
            route(ctx),
            String.valueOf(ctx.statusCode()))
        .observe(millis / 1000.0);
  }

  private static String route(Context ctx) {
    try {
      // The matched route even when a before-handler (authorization) refused the request.
      Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
      return endpoint != null && endpoint.method.isHttpMethod() && !"*".equals(endpoint.path)
          ? endpoint.path
          : "unmatched";
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }

  /** Serves the metrics; with a metrics token set, only to scrapers that present it. */
  public void serve(Context ctx) throws IOException {
    if (tokenHash != null) {
      String header = ctx.header("Authorization");
      String given =
          header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
      if (!java.security.MessageDigest.isEqual(
          tokenHash.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          dev.ocean.server.user.Tokens.hash(given)
              .getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
        throw new dev.ocean.server.error.Unauthorized(
            "/metrics needs the metrics token (Authorization: Bearer …)");
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
    ctx.contentType(PrometheusTextFormatWriter.CONTENT_TYPE).result(out.toByteArray());
  }
}
