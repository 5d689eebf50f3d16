package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean} started in the C locale (cron, systemd, {@code env -i}), as a real process: the
 * UTF-8 bytes of its arguments reach the server as typed, never as U+FFFD (qa6 H11).
 */
class LocaleArgvTest {
  @TempDir Path dir;
  TestCluster cluster;
  Ocean ada;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
    ada = cluster.user("ada@example.com");
    cluster.grant("ada@example.com", "g1.small", 2, 1);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private record Result(int code, String out, String err) {}

  private Result inCLocale(String... args) throws Exception {
    return inCLocale(false, args);
  }

  /** With {@code rawByte}, a last argument of the one byte 0xFF follows, as a shell passes it. */
  private Result inCLocale(boolean rawByte, String... args) throws Exception {
    List<String> argv = new ArrayList<>();
    if (rawByte) {
      argv.addAll(List.of("sh", "-c", "exec \"$@\" \"$(printf '\\377')\"", "sh"));
    }
    argv.add(ProcessHandle.current().info().command().orElseThrow());
    argv.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ocean.cli.Main"));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("OCEAN_") || k.startsWith("LC_") || k.equals("LANG"));
    env.put("LC_ALL", "C");
    env.put("OCEAN_SERVER", cluster.url());
    env.put("OCEAN_TOKEN", ada.token());
    env.put("XDG_CONFIG_HOME", dir.resolve("cron").toString());
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ocean ended");
    return new Result(p.exitValue(), read(out), read(err));
  }

  private static String read(Path f) throws IOException {
    return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
  }

  @Test
  void utf8ArgumentsInTheCLocaleReachTheServerAsTyped() throws Exception {
    Result r =
        inCLocale(
            "job",
            "submit",
            "-q",
            "--name",
            "loc",
            "--machine-type",
            "g1.small",
            "--image",
            "pytorch",
            "--reason",
            "héllo 日本",
            "--",
            "echo",
            "ünï");
    assertEquals(0, r.code(), r.err());
    String id = r.out().strip();
    JsonNode job =
        new ObjectMapper().readTree(ada.ocean("job", "get", id, "-o", "json").ok().out());
    assertEquals("[\"echo\",\"ünï\"]", job.get("command").toString());
    assertTrue(job.toString().contains("héllo 日本"), job.toString());
    // and printed back in UTF-8, not as '?'
    Result got = inCLocale("job", "get", id);
    assertTrue(got.out().contains("ünï"), got.out());
  }

  @Test
  void anArgumentThatIsNoUtf8IsRefusedNamingItsPosition() throws Exception {
    Result r =
        inCLocale(
            true,
            "job",
            "submit",
            "-q",
            "--name",
            "bad",
            "--machine-type",
            "g1.small",
            "--image",
            "pytorch",
            "--",
            "echo");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("Error: argument 12 is not valid UTF-8"), r.err());
    assertEquals("", ada.ocean("job", "list", "--all", "-q").ok().out());
  }
}
