package dev.ocean.agent.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocean.agent.runtime.RunSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerRequestTest {

  private final ObjectMapper json = new ObjectMapper();
  private final DockerOptions options = DockerOptions.defaults("node-1");

  @Test
  void assignedGpusBecomeDeviceRequestsAndVisibleDevices() throws Exception {
    RunSpec spec = base().withGpus(List.of(0, 2)).withEnv(Map.of("NVIDIA_VISIBLE_DEVICES", "all"));
    ObjectNode body = ContainerRequest.body(json, spec, options, 0);
    assertEquals(
        json.readTree(
            "[{\"Driver\":\"nvidia\",\"DeviceIDs\":[\"0\",\"2\"],\"Capabilities\":[[\"gpu\"]]}]"),
        body.path("HostConfig").path("DeviceRequests"));
    assertEquals(json.readTree("[\"NVIDIA_VISIBLE_DEVICES=0,2\"]"), body.path("Env"));
  }

  @Test
  void runWithoutGpusSeesNone() {
    ObjectNode body = ContainerRequest.body(json, base(), options, 0);
    assertFalse(body.path("HostConfig").has("DeviceRequests"));
    assertEquals("NVIDIA_VISIBLE_DEVICES=void", body.path("Env").get(0).asText());
  }

  @Test
  void limitsVolumeUlimitsAndLabelsAreSet() throws Exception {
    RunSpec spec =
        base()
            .withLimits(2.5, 1024)
            .withVolumeDir(Path.of("/srv/vol/u1"))
            .withLabels(Map.of("team", "ml", "ocean.agent", "spoofed"));
    ObjectNode body = ContainerRequest.body(json, spec, options, 17);
    var host = body.path("HostConfig");
    assertEquals(2_500_000_000L, host.path("NanoCpus").asLong());
    assertEquals(1024L * 1024 * 1024, host.path("Memory").asLong());
    assertEquals("/srv/vol/u1:/home/linuxbrew", host.path("Binds").get(0).asText());
    assertEquals("/home/linuxbrew", body.path("WorkingDir").asText());
    assertEquals(
        "[{\"Name\":\"nofile\",\"Soft\":4096,\"Hard\":4096},{\"Name\":\"nproc\",\"Soft\":4096,\"Hard\":4096}]",
        host.path("Ulimits").toString());
    assertEquals(
        json.readTree(
            "{\"team\":\"ml\",\"ocean.agent\":\"node-1\",\"ocean.run-id\":\"42-1\",\"ocean.job-id\":\"42\",\"ocean.run-index\":\"1\",\"ocean.spool-offset\":\"17\"}"),
        body.path("Labels"));
    assertEquals(json.readTree("[\"python\",\"train.py\",\"--lr\",\"0.1\"]"), body.path("Cmd"));
    assertFalse(body.has("Entrypoint"), "the image's entrypoint is kept");
  }

  private static RunSpec base() {
    return RunSpec.of(
        "42-1", 42, 1, "pytorch/pytorch:2.4.0", List.of("python", "train.py", "--lr", "0.1"));
  }
}
