package dev.ocean.agent.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocean.common.api.node.RuntimeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds out how this node's container engine can hand GPUs to containers: Docker device requests
 * when the engine lists the NVIDIA runtime in {@code /info}, CDI device names ({@code
 * nvidia.com/gpu=N}) when a CDI spec for NVIDIA GPUs exists, or not at all.
 */
public final class GpuHandoff {

  /** Where CDI specs live, as the CDI specification names them. */
  public static final List<Path> CDI_DIRS = List.of(Path.of("/etc/cdi"), Path.of("/var/run/cdi"));

  private GpuHandoff() {}

  /** The hand-off for an engine that answered {@code /info} with {@code info}. */
  public static String detect(JsonNode info, List<Path> cdiDirs) {
    if (info != null && info.path("Runtimes").has("nvidia")) {
      return RuntimeInfo.HANDOFF_NVIDIA_RUNTIME;
    }
    return hasNvidiaCdiSpec(cdiDirs) ? RuntimeInfo.HANDOFF_CDI : RuntimeInfo.HANDOFF_NONE;
  }

  private static boolean hasNvidiaCdiSpec(List<Path> dirs) {
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        boolean found =
            files
                .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".json"))
                .anyMatch(GpuHandoff::namesNvidiaGpus);
        if (found) {
          return true;
        }
      } catch (IOException e) {
        // an unreadable folder holds no usable spec
      }
    }
    return false;
  }

  private static boolean namesNvidiaGpus(Path spec) {
    try {
      return Files.size(spec) < 4 << 20 && Files.readString(spec).contains("nvidia.com/gpu");
    } catch (IOException e) {
      return false;
    }
  }
}
