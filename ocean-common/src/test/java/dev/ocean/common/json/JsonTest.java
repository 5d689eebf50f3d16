package dev.ocean.common.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
  record Sized(String name, Integer size, int count, boolean flag) {}

  private final ObjectMapper mapper = Json.newMapper();

  private void refused(String json) {
    assertThrows(JsonProcessingException.class, () -> mapper.readValue(json, Sized.class), json);
  }

  @Test
  void aWellTypedDocumentReads() throws Exception {
    assertEquals(
        new Sized("a", 2, 3, true),
        mapper.readValue("{\"name\":\"a\",\"size\":2,\"count\":3,\"flag\":true}", Sized.class));
  }

  @Test
  void nothingMayFollowTheDocument() {
    refused("{\"name\":\"a\",\"count\":1,\"flag\":true} xyz");
    refused("{\"name\":\"a\",\"count\":1,\"flag\":true}{}");
  }

  @Test
  void scalarsAreNotCoerced() {
    for (String name : List.of("true", "1", "1.5", "1e309")) {
      refused("{\"name\":" + name + ",\"count\":1,\"flag\":true}");
    }
    for (String size : List.of("1.5", "\"\"", "\"\\u0000\"", "\"2\"", "true")) {
      refused("{\"name\":\"a\",\"size\":" + size + ",\"count\":1,\"flag\":true}");
      refused("{\"name\":\"a\",\"count\":" + size + ",\"flag\":true}");
    }
    refused("{\"name\":\"a\",\"count\":1,\"flag\":1}");
    refused("{\"name\":\"a\",\"count\":1,\"flag\":\"true\"}");
  }

  @Test
  void aKeyAppearsOnce() {
    refused("{\"name\":\"a\",\"name\":\"b\",\"count\":1,\"flag\":true}");
  }

  @Test
  void unknownFieldsAreToleratedSoOlderPeersReadNewerAnswers() throws Exception {
    assertEquals(
        "a",
        mapper
            .readValue("{\"name\":\"a\",\"count\":1,\"flag\":true,\"added\":[1]}", Sized.class)
            .name());
  }
}
