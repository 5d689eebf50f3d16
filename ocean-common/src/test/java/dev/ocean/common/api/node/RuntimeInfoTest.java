package dev.ocean.common.api.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.json.Json;
import org.junit.jupiter.api.Test;

/** Whether a node has volume storage, as agents old and new report it. */
class RuntimeInfoTest {
  private final ObjectMapper mapper = Json.newMapper();

  @Test
  void anOlderAgentThatDoesNotSayIsTakenToHaveVolumeStorage() throws Exception {
    RuntimeInfo old =
        mapper.readValue(
            "{\"kind\":\"docker\",\"problem\":null,\"gpuHandoff\":\"cdi\"}", RuntimeInfo.class);

    assertNull(old.volumeStorage());
    assertTrue(old.hasVolumeStorage());
  }

  @Test
  void anAgentWithoutStorageSaysSoAndTheServerReadsIt() throws Exception {
    RuntimeInfo sent =
        new RuntimeInfo(RuntimeInfo.PROCESS, null, RuntimeInfo.HANDOFF_ENV, null)
            .withVolumeStorage(false);

    RuntimeInfo read = mapper.readValue(mapper.writeValueAsString(sent), RuntimeInfo.class);

    assertEquals(sent, read);
    assertFalse(read.hasVolumeStorage());
  }

  @Test
  void whyTheStorageIsUnusableTravelsAndAnOlderServerStillReadsTheRest() throws Exception {
    String why = "run-as nobody cannot enter --storage /x/y: /x is 0700";
    RuntimeInfo sent =
        new RuntimeInfo(RuntimeInfo.PROCESS, null, RuntimeInfo.HANDOFF_ENV, null)
            .withStorageProblem(why);

    RuntimeInfo read = mapper.readValue(mapper.writeValueAsString(sent), RuntimeInfo.class);

    assertEquals(why, read.storageProblem());
    assertFalse(read.hasVolumeStorage());
    assertTrue(sent.withStorageProblem(null).hasVolumeStorage());
    assertNull(sent.withVolumeStorage(true).storageProblem());
    String deep = "run-as nobody cannot enter --storage /" + "d/".repeat(2000) + ": / is 0700";
    assertEquals(
        RuntimeInfo.STORAGE_PROBLEM_MAX, sent.withStorageProblem(deep).storageProblem().length());
  }
}
