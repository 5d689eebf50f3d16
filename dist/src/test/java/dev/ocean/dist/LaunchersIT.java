package dev.ocean.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.dist.Exec.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box tests of the built distribution ({@code dist/target/ocean} and the tarball): the
 * launchers start, and the README's quick start works end to end with the real programs.
 */
class LaunchersIT {
  private static final String VERSION = "0.1.0";
  private static final Path DIST = Path.of(System.getProperty("ocean.dist", "target/ocean"));
  private static final Pattern SERVING = Pattern.compile("serving on http://\\S+:(\\d+)");

  @TempDir Path home;
  private Process server;

  @AfterEach
  void stopServer() throws InterruptedException {
    if (server != null && server.isAlive()) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  @Test
  void oceanPrintsItsVersionAndHelp() {
    assertVersion("ocean");
    assertHelp("ocean");
  }

  @Test
  void oceanSaysWhereItsStartUpTimeGoesWhenAsked() {
    Result r =
        Exec.run(home, Map.of("OCEAN_STARTUP_MARKS", "1"), "", bin("ocean"), "job", "--help");

    assertEquals(0, r.exit(), r.describe());
    assertTrue(r.stderr().startsWith("startup marks (the JVM started about "), r.describe());
    assertTrue(r.stderr().contains(" ms  command line built\n"), r.describe());
    assertEquals("", Exec.run(home, bin("ocean"), "--version").stderr(), "silent otherwise");
  }

  @Test
  void oceanServerPrintsItsVersionAndHelp() {
    assertVersion("ocean-server");
    assertHelp("ocean-server");
  }

  @Test
  void oceanAgentPrintsHelp() {
    assertHelp("ocean-agent");
  }

  @Test
  void oceanAgentPrintsItsVersion() {
    assertVersion("ocean-agent");
  }

  @Test
  void tarballHoldsTheLaunchersUnderOcean() {
    Path tarball = Path.of(System.getProperty("ocean.tarball", "target/ocean.tar.gz"));
    assertTrue(Files.isRegularFile(tarball), tarball + " exists");

    Result listing = Exec.run(home, "tar", "-tvzf", tarball.toString());
    assertEquals(0, listing.exit(), listing.describe());
    for (String program : new String[] {"ocean", "ocean-server", "ocean-agent"}) {
      assertTrue(
          listing
              .stdout()
              .lines()
              .anyMatch(l -> l.startsWith("-rwx") && l.endsWith(" ocean/bin/" + program)),
          "executable ocean/bin/" + program + " in\n" + listing.stdout());
    }
    assertTrue(listing.stdout().contains(" ocean/lib/"), "jars under ocean/lib/");
  }

  @Test
  void eachProgramCarriesOnlyItsOwnLibraries() throws IOException {
    assertTrue(
        jars("server").stream().anyMatch(j -> j.startsWith("jetty-server-")), "server has Jetty");
    assertTrue(
        jars("server").stream().anyMatch(j -> j.startsWith("sqlite-jdbc-")), "server has SQLite");
    for (String program : new String[] {"agent", "cli"}) {
      for (String serverOnly :
          new String[] {
            "jetty-", "javalin-", "sqlite-jdbc-", "postgresql-", "flyway-", "HikariCP-", "jdbi3-"
          }) {
        assertTrue(
            jars(program).stream().noneMatch(j -> j.startsWith(serverOnly)),
            program + " carries no " + serverOnly + "*: " + jars(program));
      }
    }
    assertTrue(jars("cli").stream().noneMatch(j -> j.startsWith("oshi-")), "the CLI has no OSHI");
  }

  private static java.util.List<String> jars(String program) throws IOException {
    try (var files = Files.list(DIST.resolve("lib").resolve(program))) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void quickStartLogsInAndCreatesAVolume() throws Exception {
    String url = startServer("admin@example.com", "Quick-start1!");
    Map<String, String> env =
        Map.of(
            "XDG_CONFIG_HOME",
            home.resolve("config").toString(),
            "HOME",
            home.toString(),
            "NO_COLOR",
            "1");

    Result login =
        Exec.run(
            home,
            env,
            "Quick-start1!\n",
            bin("ocean"),
            "login",
            "--server",
            url,
            "--email",
            "admin@example.com",
            "--password-stdin");
    assertEquals(0, login.exit(), login.describe());
    assertTrue(Files.isRegularFile(home.resolve("config/ocean/config.json")), "login saved");

    Result create =
        Exec.run(home, env, "", bin("ocean"), "volume", "create", "data", "--size", "1");
    assertEquals(0, create.exit(), create.describe());
    Result list = Exec.run(home, env, "", bin("ocean"), "volume", "list", "-q");
    assertEquals(0, list.exit(), list.describe());
    assertEquals("data", list.stdout().strip(), list.describe());

    server.destroy();
    assertTrue(server.waitFor(30, TimeUnit.SECONDS), "server stops on SIGTERM");
  }

  /** Starts {@code bin/ocean-server --port 0} and returns its URL once it says where it serves. */
  private String startServer(String adminEmail, String adminPassword) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                bin("ocean-server"), "--port", "0", "--data", home.resolve("data").toString())
            .directory(home.toFile())
            .redirectErrorStream(true);
    pb.environment().put("OCEAN_ADMIN_EMAIL", adminEmail);
    pb.environment().put("OCEAN_ADMIN_PASSWORD", adminPassword);
    server = pb.start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    StringBuilder output = new StringBuilder();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  synchronized (output) {
                    output.append(line).append('\n');
                  }
                  Matcher m = SERVING.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (IOException ignored) {
                // the stream closes when the server is destroyed
              }
              port.completeExceptionally(new AssertionError("ocean-server exited:\n" + output));
            });
    try {
      return "http://127.0.0.1:" + port.get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      synchronized (output) {
        throw new AssertionError(
            "ocean-server did not say where it serves within 120 s:\n" + output);
      }
    }
  }

  private void assertVersion(String program) {
    Result r = Exec.run(home, bin(program), "--version");
    assertEquals(0, r.exit(), r.describe());
    assertTrue(r.stdout().contains(VERSION), r.describe());
  }

  private void assertHelp(String program) {
    Result r = Exec.run(home, bin(program), "--help");
    assertEquals(0, r.exit(), r.describe());
    assertTrue(r.output().contains(program), r.describe());
  }

  private static String bin(String program) {
    Path launcher = DIST.resolve("bin").resolve(program);
    assertTrue(Files.isExecutable(launcher), launcher + " is executable; run ./mvnw package first");
    return launcher.toAbsolutePath().toString();
  }
}
