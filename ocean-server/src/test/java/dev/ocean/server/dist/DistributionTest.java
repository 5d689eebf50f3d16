package dev.ocean.server.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node without internet installs from its server: the script and the release tarball. */
class DistributionTest {
  @TempDir Path dir;
  private OceanServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        OceanServer.start(
            new ServerConfig(dir.resolve("data")).host("127.0.0.1").port(0),
            new PrintStream(PrintStream.nullOutputStream()));
  }

  @AfterEach
  void stop() {
    System.clearProperty("ocean.launcher");
    server.close();
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void installScriptDownloadsFromTheServerItCameFrom() throws Exception {
    HttpResponse<byte[]> r = get("/install.sh");
    assertEquals(200, r.statusCode());
    String script = new String(r.body(), StandardCharsets.UTF_8);
    assertTrue(script.startsWith("#!/bin/sh"), script);
    assertTrue(script.contains("OCEAN_DEFAULT_SERVER='" + server.url() + "'"), script);
  }

  @Test
  void aHostHeaderThatIsNotAHostNeverReachesTheScript() throws Exception {
    URI url = URI.create(server.url());
    try (Socket s = new Socket("127.0.0.1", url.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /install.sh HTTP/1.1\r\nHost: x';touch${IFS}pwned;'\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertFalse(answer.contains("pwned"), answer);
    }
  }

  @Test
  void aForeignHostHeaderNeverBecomesTheScriptsServer() throws Exception {
    URI url = URI.create(server.url());
    try (Socket s = new Socket("127.0.0.1", url.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /install.sh HTTP/1.1\r\nHost: evil.example:9999\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertFalse(answer.contains("evil.example"), answer);
      assertTrue(answer.contains("OCEAN_DEFAULT_SERVER='" + server.url() + "'"), answer);
      assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("cache-control: no-store"));
    }
  }

  @Test
  void aServerRunFromClassesHasNoTarballToServe() throws Exception {
    HttpResponse<byte[]> r = get("/download/ocean.tar.gz");
    assertEquals(404, r.statusCode());
    assertEquals(
        "application/problem+json",
        r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
    assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("release"));
  }

  @Test
  void tarballPacksTheServersOwnReleaseWithItsExecutables() throws Exception {
    Path release = dir.resolve("release");
    Files.createDirectories(release.resolve("bin"));
    Files.createDirectories(release.resolve("lib/server"));
    Path launcher = release.resolve("bin/ocean-server");
    Files.writeString(launcher, "#!/bin/sh\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    byte[] jar = new byte[1000];
    jar[999] = 7;
    // the path is longer than the 100 bytes a plain tar name holds
    String jarName = "a-jar-with-a-rather-long-name-" + "x".repeat(60) + ".jar";
    Files.write(release.resolve("lib/server").resolve(jarName), jar);
    // the jars keep their times: the CLI's AOT cache is used only with the jars it was made with
    java.nio.file.attribute.FileTime built =
        java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2024-05-06T07:08:09Z"));
    Files.setLastModifiedTime(release.resolve("lib/server").resolve(jarName), built);
    // the release's own Java runtime travels with it, its programs executable
    Path runtimeJava = Files.createDirectories(release.resolve("runtime/bin")).resolve("java");
    Files.writeString(runtimeJava, "#!/bin/sh\n");
    Files.setPosixFilePermissions(runtimeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
    System.setProperty("ocean.launcher", launcher.toString());

    HttpResponse<byte[]> r = get("/download/ocean.tar.gz");
    assertEquals(200, r.statusCode());
    Path tgz = dir.resolve("ocean.tar.gz");
    Files.write(tgz, r.body());
    Path out = Files.createDirectories(dir.resolve("unpacked"));
    Process tar =
        new ProcessBuilder("tar", "-xzf", tgz.toString(), "-C", out.toString())
            .redirectErrorStream(true)
            .start();
    String said = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(tar.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, tar.exitValue(), said);
    assertTrue(Files.isExecutable(out.resolve("ocean/bin/ocean-server")));
    try (var files = Files.list(out.resolve("ocean/lib/server"))) {
      Path copy = files.findFirst().orElseThrow();
      assertEquals(jarName, copy.getFileName().toString());
      assertTrue(java.util.Arrays.equals(jar, Files.readAllBytes(copy)), "the jar arrives whole");
      assertEquals(built, Files.getLastModifiedTime(copy), "the jar keeps its time");
    }
    assertTrue(Files.isExecutable(out.resolve("ocean/runtime/bin/java")), "the runtime comes too");

    // packed once: the next download is the same file, its size announced for progress bars
    HttpResponse<byte[]> again = get("/download/ocean.tar.gz");
    assertEquals(200, again.statusCode());
    assertTrue(java.util.Arrays.equals(r.body(), again.body()), "the same tarball again");
    assertEquals(
        String.valueOf(again.body().length),
        again.headers().firstValue("Content-Length").orElse("none"));
  }

  @Test
  void theReleaseAServerKilledHardLeftInTmpIsRemovedButALiveServersIsKept() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path stale = Files.writeString(tmp.resolve("ocean-release-" + gone.pid() + "-1.tar.gz"), "x");
    Path live =
        Files.writeString(
            tmp.resolve("ocean-release-" + ProcessHandle.current().pid() + "-2.tar.gz"), "x");
    Path other = Files.writeString(tmp.resolve("ocean-release-notes.txt"), "x");
    Distribution.removeStale(tmp);
    assertFalse(Files.exists(stale), "the dead server's 100 MB tarball is gone");
    assertTrue(Files.exists(live), "a running server's tarball stays");
    assertTrue(Files.exists(other), "what is not a packed release stays");
  }
}
