package dev.ocean.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.Problem;
import dev.ocean.common.api.agent.TunnelOpen;
import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.common.api.instance.InstanceSpec;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.RunReports;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.DiskInfo;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.GpuProcess;
import dev.ocean.common.api.node.GpuSample;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent's JSON is the server's JSON: every record the agent sends or reads, written by {@link
 * RecordJson} and read by the server's mapper ({@code Json.newMapper()}), and the other way round,
 * gives the same document.
 */
class RecordJsonTest {

  private final ObjectMapper server = Json.newMapper();

  private static final NodeFacts FACTS =
      new NodeFacts(
          "vm",
          "Debian GNU/Linux 12",
          "amd64",
          "AMD EPYC",
          2,
          24_683_652L * 1024,
          List.of(new DiskInfo("/", 270_553_174_016L, 65_439_461_376L)),
          List.of(new GpuInfo(0, "GPU-a", "H100 \"SXM\" é", 81_559, null)),
          new RuntimeInfo("process", null, "env", true, null));
  private static final NodeMetrics METRICS =
      new NodeMetrics(
          1_748_779_200_000L,
          12.5,
          1.0,
          null,
          0.25,
          10L,
          20L,
          30L,
          40L,
          List.of(
              new GpuSample(
                  0,
                  "GPU-a",
                  100,
                  3,
                  1024,
                  81_559,
                  40,
                  71.5,
                  700.0,
                  List.of(new GpuProcess(42, "python", null)),
                  null)));

  /** Both ways, the two codecs agree on the document. */
  private void sameDocument(Object value) throws Exception {
    JsonNode theirs = withoutEmpty(server.readTree(server.writeValueAsBytes(value)));
    assertEquals(theirs, server.readTree(RecordJson.write(value, false)), value.toString());
    assertEquals(theirs, server.readTree(RecordJson.write(value, true)), value.toString());
    Object back = RecordJson.read(server.writeValueAsBytes(value), value.getClass());
    assertEquals(
        theirs, withoutEmpty(server.readTree(server.writeValueAsBytes(back))), value.toString());
  }

  /** Without Jackson's "empty" of {@code Work.isEmpty()}, a derived value nobody reads. */
  private static JsonNode withoutEmpty(JsonNode node) {
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
      o.remove("empty");
    }
    node.forEach(RecordJsonTest::withoutEmpty);
    return node;
  }

  @Test
  void whatTheAgentSendsReadsTheSameOnTheServer() throws Exception {
    sameDocument(new Registration("tok", "n1", "0.1.0", 3, FACTS, METRICS));
    sameDocument(new Heartbeat(METRICS, FACTS, List.of("1-0-1")));
    sameDocument(new Heartbeat(METRICS, null, List.of()));
    sameDocument(
        new RunReports(
            List.of(
                new RunReports.Item(
                    "1-0-1",
                    new RunReport(
                        "running",
                        null,
                        null,
                        "/v",
                        new InstanceEndpoints(
                            "10.0.0.1", 2222, 8443, "ssh-ed25519 AAA", true, null)),
                    0L,
                    "hi\n\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1)),
                new RunReports.Item(
                    "2-0-1", new RunReport("failed", 4, "exit", null, null), null, null))));
    sameDocument(
        new AgentStatus(
            Instant.parse("2026-12-01T00:50:00.123456789Z"), "ready", null, List.of("0 H100")));
  }

  @Test
  void whatTheServerAnswersReadsTheSameOnTheAgent() throws Exception {
    Assignment a =
        new Assignment(
            "1-0-1",
            1,
            0,
            "busybox:latest",
            List.of("sh", "-c", "echo $X"),
            Map.of("X", "1", "Y", "two words"),
            "/data/v",
            2,
            1024,
            List.of(0, 3),
            1,
            new InstanceSpec("box", "ada@ocean.test", List.of("ssh-ed25519 AAA ada"), "pw"));
    Work work = new Work(List.of(a), List.of("2-0-1"), List.of(new TunnelOpen("t1", "1-0-1", 22)));
    sameDocument(work);
    sameDocument(
        new RunReports.Answer(
            List.of(
                new RunReports.Result("1-0-1", 200, null, 3L),
                new RunReports.Result("2-0-1", 409, "ended", null)),
            work));
    sameDocument(new Registration.Accepted("n1", "cred", 5, "reg-1"));
    sameDocument(new Heartbeat.Ack("ready", null));
    sameDocument(new LogAck(1L << 40));
    sameDocument(new Problem(null, "Bad request", 400, "name is too long", "name"));
  }

  @Test
  void theAgentsStateFileReadsAsBefore() throws Exception {
    AgentConfig config =
        new AgentConfig(
            "http://a:8080,http://b:8080",
            "n1",
            "cred",
            "process",
            null,
            "/s",
            5,
            List.of("nofile=1024:2048"),
            null,
            "reg",
            "me",
            null,
            null);
    sameDocument(config);
    byte[] pretty = server.writerWithDefaultPrettyPrinter().writeValueAsBytes(config);
    assertArrayEquals(pretty, RecordJson.write(config, true));
  }

  @Test
  void valuesOfTheWrongTypeAreRefusedAsTheServersMapperRefusesThem() {
    for (String json :
        List.of(
            "{\"size\":\"4\"}",
            "{\"size\":1.5}",
            "{\"size\":true}",
            "{\"size\":null}",
            "{\"size\":1,\"size\":2}",
            "{\"size\":1} {}",
            "[1]",
            "")) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      assertThrows(
          JsonProcessingException.class, () -> server.readValue(bytes, LogAck.class), json);
      assertThrows(JsonProcessingException.class, () -> RecordJson.read(bytes, LogAck.class), json);
    }
    byte[] name = "{\"nodeName\":4}".getBytes(StandardCharsets.UTF_8);
    assertThrows(
        JsonProcessingException.class, () -> RecordJson.read(name, Registration.Accepted.class));
  }

  @Test
  void fieldsOfNewerServersAreSkippedAndMissingOnesAreNullButNumbersAreRequired() throws Exception {
    byte[] json =
        "{\"nodeName\":\"n1\",\"future\":{\"a\":[1,{\"b\":null}]},\"later\":[],\"heartbeatSeconds\":5}"
            .getBytes(StandardCharsets.UTF_8);

    Registration.Accepted a = RecordJson.read(json, Registration.Accepted.class);

    assertEquals(server.readValue(json, Registration.Accepted.class), a);
    assertEquals("n1", a.nodeName());
    assertNull(a.credential());
    assertEquals(5, a.heartbeatSeconds());
    byte[] noNumber = "{\"nodeName\":\"n1\"}".getBytes(StandardCharsets.UTF_8);
    assertThrows(
        JsonProcessingException.class,
        () -> server.readValue(noNumber, Registration.Accepted.class));
    assertThrows(
        JsonProcessingException.class,
        () -> RecordJson.read(noNumber, Registration.Accepted.class));
  }
}
