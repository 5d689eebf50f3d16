package dev.ocean.cli.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean} inside a run works for the run's owner with no login: the agent sets {@code
 * OCEAN_SERVER}, the server mints {@code OCEAN_TOKEN}; the token sees only its owner's things, may
 * not touch the account, and dies with the run.
 */
class WorkloadTokenE2ETest {
  @TempDir Path dir;
  private JobCluster cluster;

  @BeforeEach
  void start() {
    cluster = JobCluster.inProcess(dir);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void oceanInsideARunListsItsOwnersJobsOnlyAndTheTokenDiesWithTheRun() throws Exception {
    cluster.grant(cluster.bob, "cpu1", 1);
    String bobs =
        cluster
            .bob
            .ocean(
                "job",
                "submit",
                "-q",
                "--wait",
                "--name",
                "bobs-secret-job",
                "--machine-type",
                "cpu1",
                "--image",
                "host",
                "--",
                "true")
            .ok()
            .out()
            .strip();
    String java = ProcessHandle.current().info().command().orElseThrow();
    String ocean =
        "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' dev.ocean.cli.Main";
    String script =
        "echo \"TOKEN=$OCEAN_TOKEN\"; echo \"SERVER=$OCEAN_SERVER\";"
            + " echo \"ACCOUNT=$(curl -s -o /dev/null -w '%{http_code}' -H \"Authorization:"
            + " Bearer $OCEAN_TOKEN\" \"$OCEAN_SERVER/api/v1/tokens\")\"; echo JSON;"
            + ocean
            + " job list --all -o json";
    long id = cluster.submit("inside", "cpu1", "--wait", "--", "sh", "-c", script);

    assertEquals("succeeded", cluster.job(id).state(), cluster.agentLog());
    String log = cluster.ada.ocean("logs", String.valueOf(id)).ok().out();
    assertEquals(cluster.url, line(log, "SERVER"), "OCEAN_SERVER is the agent's server URL");
    assertEquals(
        "403", line(log, "ACCOUNT"), "the workload token may not list or revoke login tokens");
    List<Job> seen =
        Json.newMapper()
            .readValue(log.substring(log.indexOf("JSON\n") + 5), new TypeReference<List<Job>>() {});
    assertTrue(
        seen.stream().anyMatch(j -> j.id() == id),
        "ada's own running job shows from inside: " + log);
    assertTrue(
        seen.stream().noneMatch(j -> String.valueOf(j.id()).equals(bobs)),
        "bob's job does not show from inside ada's run: " + log);

    String token = line(log, "TOKEN");
    assertTrue(token.startsWith("ow_"), "a workload token: " + token);
    HttpResponse<String> after =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(cluster.url + "/api/v1/jobs"))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(401, after.statusCode(), "the token died with its run: " + after.body());
  }

  private static String line(String log, String key) {
    Matcher m = Pattern.compile("(?m)^" + key + "=(.*)$").matcher(log);
    assertTrue(m.find(), key + " in the run's output:\n" + log);
    return m.group(1);
  }
}
