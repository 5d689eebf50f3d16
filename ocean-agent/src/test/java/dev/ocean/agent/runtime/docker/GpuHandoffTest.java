package dev.ocean.agent.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocean.agent.runtime.RunSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How GPUs reach containers: found from the engine's {@code /info} and the CDI spec folders. */
class GpuHandoffTest {
  private final ObjectMapper json = new ObjectMapper();
  @TempDir Path cdi;

  private JsonNode info(String runtimes) throws Exception {
    return json.readTree("{\"Runtimes\":" + runtimes + "}");
  }

  @Test
  void engineListingTheNvidiaRuntimeGetsDeviceRequests() throws Exception {
    assertEquals(
        "nvidia-runtime",
        GpuHandoff.detect(
            info("{\"runc\":{},\"nvidia\":{\"path\":\"nvidia-container-runtime\"}}"),
            List.of(cdi)));
  }

  @Test
  void cdiSpecForNvidiaGpusGivesCdiDeviceNames() throws Exception {
    Files.writeString(cdi.resolve("nvidia.yaml"), "cdiVersion: 0.5.0\nkind: nvidia.com/gpu\n");

    assertEquals("cdi", GpuHandoff.detect(info("{\"crun\":{}}"), List.of(cdi)));
  }

  @Test
  void neitherMeansGpusCannotBeHandedOver() throws Exception {
    Files.writeString(cdi.resolve("other.yaml"), "kind: vendor.example/fpga\n");

    assertEquals(
        "none", GpuHandoff.detect(info("{\"crun\":{}}"), List.of(cdi, cdi.resolve("missing"))));
  }

  @Test
  void cdiHandoffNamesTheRunsGpusAsCdiDevices() {
    RunSpec spec = RunSpec.of("1-0", 1, 0, "busybox", List.of("true")).withGpus(List.of(2, 5));

    ObjectNode body = ContainerRequest.body(json, spec, DockerOptions.defaults("n1"), 0, "cdi");

    JsonNode devices = body.path("HostConfig").path("Devices");
    assertEquals("nvidia.com/gpu=2", devices.get(0).path("PathOnHost").asText());
    assertEquals("nvidia.com/gpu=5", devices.get(1).path("PathOnHost").asText());
    assertEquals(true, body.path("HostConfig").path("DeviceRequests").isMissingNode());
  }
}
