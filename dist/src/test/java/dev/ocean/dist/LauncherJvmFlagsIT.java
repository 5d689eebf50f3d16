package dev.ocean.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.dist.Exec.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers start the JVM so that an {@link OutOfMemoryError} ends the process (a service
 * manager then restarts it) instead of leaving a half-working server or agent behind.
 */
class LauncherJvmFlagsIT {
  private static final String EXIT_ON_OOM = "-XX:+ExitOnOutOfMemoryError";
  private static final Path DIST = Path.of(System.getProperty("ocean.dist", "target/ocean"));

  @TempDir Path home;

  @Test
  void runningServerJvmExitsOnOutOfMemory() throws Exception {
    Process server =
        new ProcessBuilder(
                bin("ocean-server"),
                "--port",
                "0",
                "--host",
                "127.0.0.1",
                "--data",
                home.resolve("data").toString())
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("server.log").toFile())
            .start();
    try {
      // the launcher execs java, so the launcher's pid is the JVM's
      Path cmdline = Path.of("/proc", String.valueOf(server.pid()), "cmdline");
      List<String> argv = List.of();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline && server.isAlive()) {
        argv = Arrays.asList(Files.readString(cmdline, StandardCharsets.UTF_8).split("\0"));
        if (argv.contains("dev.ocean.server.Main")) {
          break;
        }
        Thread.sleep(50);
      }
      assertTrue(argv.contains("dev.ocean.server.Main"), "the JVM runs the server: " + argv);
      assertTrue(argv.contains(EXIT_ON_OOM), "the server's JVM is started with it: " + argv);
    } finally {
      server.destroyForcibly();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void agentLauncherPassesExitOnOutOfMemory() throws IOException {
    Path args = home.resolve("args");
    Path fakeJava = home.resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + args + "'\n");
    Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwx------"));

    Result r =
        Exec.run(home, Map.of("OCEAN_JAVA", fakeJava.toString()), "", bin("ocean-agent"), "run");

    assertEquals(0, r.exit(), r.describe());
    List<String> argv = Files.readAllLines(args);
    assertTrue(argv.contains("dev.ocean.agent.Main"), "the launcher starts the agent: " + argv);
    assertTrue(
        argv.indexOf(EXIT_ON_OOM) >= 0 && argv.indexOf(EXIT_ON_OOM) < argv.indexOf("-cp"),
        "the agent's JVM is started with " + EXIT_ON_OOM + ": " + argv);
  }

  private static String bin(String program) {
    Path launcher = DIST.resolve("bin").resolve(program);
    assertTrue(Files.isExecutable(launcher), launcher + " is executable; run ./mvnw package first");
    return launcher.toAbsolutePath().toString();
  }
}
