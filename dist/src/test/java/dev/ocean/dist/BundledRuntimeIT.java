package dev.ocean.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.dist.Exec.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release runs on its own Java runtime ({@code runtime/}, made by jlink): on a machine with no
 * Java installed the three programs start, and the runtime lacks nothing it is configured with.
 */
class BundledRuntimeIT {
  private static final Path DIST = Path.of(System.getProperty("ocean.dist", "target/ocean"));
  private static final Path TARBALL =
      Path.of(System.getProperty("ocean.tarball", "target/ocean.tar.gz"));

  @TempDir Path home;

  @Test
  void everyProgramStartsWithNoJavaInstalled() throws IOException {
    Map<String, String> env = noJava(home);
    Path runtime = DIST.resolve("runtime").toRealPath();
    for (String program : List.of("ocean", "ocean-server", "ocean-agent")) {
      Map<String, String> traced = new java.util.HashMap<>(env);
      traced.put("OCEAN_JAVA_OPTS", "-XshowSettings:properties");

      Result r =
          Exec.runIn(home, traced, DIST.resolve("bin").resolve(program).toString(), "--version");

      assertEquals(0, r.exit(), r.describe());
      assertTrue(r.stdout().startsWith(program + " 0.1.0"), r.describe());
      assertTrue(
          r.stderr().contains("java.home = " + runtime), program + " runs on runtime/\n" + r);
    }
  }

  @Test
  void theTarballCarriesTheRuntimeWithItsProgramsExecutable() {
    Result listing = Exec.run(home, "tar", "-tvzf", TARBALL.toString());
    assertEquals(0, listing.exit(), listing.describe());
    // java starts the programs; jspawnhelper starts every child process (process-runtime jobs)
    for (String file : List.of("ocean/runtime/bin/java", "ocean/runtime/lib/jspawnhelper")) {
      assertTrue(
          listing.stdout().lines().anyMatch(l -> l.startsWith("-rwx") && l.endsWith(" " + file)),
          "executable " + file + " in the tarball");
    }
    assertTrue(listing.stdout().contains(" ocean/runtime/lib/modules"), "the runtime's modules");
  }

  /**
   * A provider named in the runtime's java.security but missing from it sends every lookup of all
   * providers (okhttp does one as each command starts) to the class path, where BouncyCastle is
   * found and loaded: about half a second more for every {@code ocean} command.
   */
  @Test
  void theRuntimeHasEverySecurityProviderItIsConfiguredWith() throws IOException {
    Path runtime = DIST.resolve("runtime");
    List<String> configured =
        Files.readAllLines(runtime.resolve("conf/security/java.security")).stream()
            .filter(l -> l.matches("security\\.provider\\.\\d+=.*"))
            .map(l -> l.substring(l.indexOf('=') + 1).strip())
            .toList();
    assertTrue(configured.size() > 5, "providers configured: " + configured);

    Result shown =
        Exec.run(
            home,
            runtime.resolve("bin/java").toString(),
            "-XshowSettings:security:providers",
            "-version");

    assertEquals(0, shown.exit(), shown.describe());
    for (String provider : configured) {
      assertTrue(
          shown.stderr().contains("Provider name: " + provider),
          "the runtime has the provider " + provider);
    }
  }

  /**
   * An environment without Java: no JAVA_HOME, and a PATH that holds only the few commands the
   * launchers use.
   */
  static Map<String, String> noJava(Path home) throws IOException {
    Path bin = Files.createDirectories(home.resolve("no-java-bin"));
    for (String tool : List.of("readlink", "dirname")) {
      Path target = Path.of("/usr/bin", tool);
      Files.createSymbolicLink(
          bin.resolve(tool), Files.exists(target) ? target : Path.of("/bin", tool));
    }
    return Map.of("PATH", bin.toString(), "HOME", home.toString(), "NO_COLOR", "1");
  }
}
