package dev.ocean.agent.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices direct connections to instances (SSH, the editor), which bypass the server's tunnel: at
 * each sample it reads every instance container's network byte counters (received plus sent, from
 * the engine's {@code GET /containers/ID/stats?stream=false}, which Docker and Podman, rootful or
 * rootless with slirp4netns, answer) and names the runs whose counters moved by more than {@link
 * #THRESHOLD_BYTES} since the previous sample. The threshold keeps the keepalives of a forgotten,
 * idle SSH session or editor tab from counting as use. A run's first sample only sets its baseline.
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
      return engine.stats(containerId).flatMap(InstanceTraffic::networkBytes);
    } catch (IOException | RuntimeException e) {
      log.debug("no network counters for {}: {}", containerId, e.toString());
      return Optional.empty();
    }
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
