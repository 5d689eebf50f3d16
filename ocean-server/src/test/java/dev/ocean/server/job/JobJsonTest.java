package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import dev.ocean.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /jobs} writes jobs field by field ({@link JobJson}); what a client reads must stay
 * byte for byte what the shared mapper wrote before: every field, its order, nulls left out,
 * instants in ISO-8601 whatever their precision, text escaped.
 */
class JobJsonTest {
  private static final ObjectMapper MAPPER = Json.newMapper();

  private static String written(List<Job> jobs) throws Exception {
    var out = new ByteArrayOutputStream();
    JobJson.writeArray(MAPPER.getFactory(), out, jobs);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void listIsWrittenExactlyAsTheMapperWritesIt() throws Exception {
    Instant whole = Instant.parse("2026-11-30T16:00:00Z");
    Instant millis = Instant.parse("2026-11-30T16:00:01.120Z");
    Instant nanos = Instant.parse("2026-11-30T16:00:02.123456789Z");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("B", "two words");
    env.put("A", "quote \" backslash \\ tab \t newline \n é ✓ \u0001");
    List<Run> runs =
        List.of(
            new Run(
                0,
                "pending",
                null,
                List.of(),
                whole,
                null,
                null,
                null,
                null,
                3,
                "no node has" + " a free GPU",
                1,
                null),
            new Run(
                1,
                "running",
                "node-1",
                List.of(0, 5),
                whole,
                millis,
                null,
                null,
                null,
                null,
                null,
                2,
                "vol/dir"),
            new Run(
                2,
                "failed",
                "node-2",
                List.of(7),
                millis,
                millis,
                nanos,
                137,
                "node \"lost\" \\ tab \t é ✓ \u0001 </script>",
                null,
                null,
                1,
                null));
    List<Job> jobs = new ArrayList<>();
    jobs.add(
        new Job(
            12,
            "train",
            "a@example.com",
            "g1",
            "busybox",
            "data",
            List.of("sh", "-c", "echo \"hi\" > /tmp/x"),
            env,
            "why: <b>&</b>",
            3,
            2,
            "running",
            whole,
            null,
            null,
            runs,
            1));
    jobs.add(
        new Job(
            11,
            null,
            "b@example.com",
            "cpu",
            "img",
            null,
            List.of(),
            Map.of(),
            null,
            1,
            1,
            "failed",
            nanos,
            nanos,
            1,
            List.of(),
            0));
    jobs.add(
        new Job(
            10,
            "x",
            "c@example.com",
            "g1",
            "busybox",
            null,
            null,
            null,
            null,
            0,
            0,
            "pending",
            millis,
            null,
            null,
            null,
            0));

    assertEquals(MAPPER.writeValueAsString(jobs), written(jobs));
    assertEquals("[]", written(List.of()));
    for (Job j : jobs) { // POST /jobs answers one job the same way
      var one = new ByteArrayOutputStream();
      JobJson.writeOne(MAPPER.getFactory(), one, j);
      assertEquals(MAPPER.writeValueAsString(j), one.toString(StandardCharsets.UTF_8));
    }
    // and a client reads back the same jobs
    assertArrayEquals(jobs.toArray(), MAPPER.readValue(written(jobs), Job[].class));
  }
}
