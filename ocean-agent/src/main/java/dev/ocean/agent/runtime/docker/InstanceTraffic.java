package dev.ocean.agent.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices direct connections to instances (SSH, the editor), which bypass the server's tunnel: at
 * each sample it reads every instance container's network byte counters (received plus sent on all
 * its interfaces but loopback) and names the runs whose counters moved by more than {@link
 * #THRESHOLD_BYTES} since the previous sample. The threshold keeps the keepalives of a forgotten,
 * idle SSH session or editor tab from counting as use. A run's first sample only sets its baseline.
 *
 * <p>The counters come from {@code /proc/PID/net/dev} of the container's init process ({@code
 * State.Pid} of its inspect document; the engine is always local, on a Unix socket): that is right
 * for the engine's bridge networks and for slirp4netns (Podman's rootless default, and what an
 * instance gets on Podman when the server is on the host's loopback), whose published ports'
 * connections arrive over the container's loopback, which the engine's {@code stats} misses on
 * Podman 4. Loopback counts only on slirp4netns and pasta networks. Where that file cannot be read,
 * the engine's {@code GET /containers/ID/stats?stream=false} counters are used.
 */
final class InstanceTraffic {
  private static final Logger log = LoggerFactory.getLogger(InstanceTraffic.class);

  /** Bytes (in plus out) a container must move between two samples to count as in use. */
  static final long THRESHOLD_BYTES = 4 * 1024;

  private final DockerEngineClient engine;
  private final Map<String, Long> previous = new HashMap<>();

  InstanceTraffic(DockerEngineClient engine) {
    this.engine = engine;
  }

  /**
   * The runs of {@code containers} (run id to container id) whose traffic since the previous sample
   * exceeds the threshold; forgets runs no longer listed.
   */
  synchronized List<String> sample(Map<String, String> containers) {
    previous.keySet().retainAll(containers.keySet());
    List<String> active = new ArrayList<>();
    for (Map.Entry<String, String> e : containers.entrySet()) {
      Optional<Long> bytes = bytes(e.getValue());
      if (bytes.isEmpty()) {
        continue; // unknown now: keep the old baseline
      }
      Long before = previous.put(e.getKey(), bytes.get());
      if (before != null && bytes.get() - before > THRESHOLD_BYTES) {
        active.add(e.getKey());
      }
    }
    return active;
  }

  /** The container's bytes received and sent on all its interfaces, or empty when unknown. */
  private Optional<Long> bytes(String containerId) {
    try {
      Optional<JsonNode> container = engine.inspect(containerId);
      if (container.isEmpty()) {
        return Optional.empty(); // gone
      }
      long pid = container.get().path("State").path("Pid").asLong(0);
      String network = container.get().path("HostConfig").path("NetworkMode").asText("");
      // slirp4netns and pasta hand published ports' connections in over the container's loopback
      boolean loopback = network.startsWith("slirp4netns") || network.startsWith("pasta");
      Optional<Long> proc =
          pid > 0
              ? procNetDev(Path.of("/proc", Long.toString(pid), "net", "dev"), loopback)
              : Optional.empty();
      if (proc.isPresent()) {
        return proc;
      }
      return engine.stats(containerId).flatMap(InstanceTraffic::networkBytes);
    } catch (IOException | RuntimeException e) {
      log.debug("no network counters for {}: {}", containerId, e.toString());
      return Optional.empty();
    }
  }

  /**
   * Sums received and sent bytes of the interfaces in a {@code net/dev} file; of {@code lo} only
   * when {@code loopback} (else traffic between the container's own processes would count).
   */
  static Optional<Long> procNetDev(Path file, boolean loopback) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    long sum = 0;
    boolean any = false;
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon < 0 || (!loopback && line.substring(0, colon).strip().equals("lo"))) {
        continue; // a header, or traffic inside the container
      }
      String[] f = line.substring(colon + 1).strip().split("\\s+");
      if (f.length < 9) {
        continue;
      }
      try {
        sum += Long.parseLong(f[0]) + Long.parseLong(f[8]);
        any = true;
      } catch (NumberFormatException e) {
        // not a counter line
      }
    }
    return any ? Optional.of(sum) : Optional.empty();
  }

  /** Sums {@code networks.*.rx_bytes + tx_bytes} of a stats document. */
  static Optional<Long> networkBytes(JsonNode stats) {
    JsonNode networks = stats.path("networks");
    if (!networks.isObject() || networks.isEmpty()) {
      return Optional.empty();
    }
    long sum = 0;
    for (JsonNode n : networks) {
      sum += n.path("rx_bytes").asLong(0) + n.path("tx_bytes").asLong(0);
    }
    return Optional.of(sum);
  }
}
