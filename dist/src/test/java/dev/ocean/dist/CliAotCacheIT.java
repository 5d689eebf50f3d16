package dev.ocean.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.dist.Exec.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release's {@code ocean} starts from the AOT cache made at build time (what makes it quick),
 * also where the tarball is unpacked and no Java is installed; started by another Java, it runs
 * without the cache and without a word to the user.
 */
class CliAotCacheIT {
  private static final Path DIST = Path.of(System.getProperty("ocean.dist", "target/ocean"));
  private static final Path TARBALL =
      Path.of(System.getProperty("ocean.tarball", "target/ocean.tar.gz"));
  private static final String FROM_CACHE = "dev.ocean.cli.Main source: shared objects file";

  @TempDir Path home;

  /** The cache is tied to the runtime that trained it: the one the release ships and runs on. */
  @Test
  void theUnpackedReleaseStartsFromItsCacheWithNoJavaInstalled() throws IOException {
    Result untar = Exec.run(home, "tar", "-xzf", TARBALL.toString());
    assertEquals(0, untar.exit(), untar.describe());
    Path ocean = home.resolve("ocean/bin/ocean");
    assertTrue(Files.isRegularFile(home.resolve("ocean/lib/cli/ocean.aot")), "cache in release");
    Map<String, String> env = new HashMap<>(BundledRuntimeIT.noJava(home));
    env.put("OCEAN_JAVA_OPTS", "-Xlog:class+load");

    Result r = Exec.runIn(home, env, ocean.toString(), "--version");

    assertEquals(0, r.exit(), r.describe());
    assertTrue(
        r.stdout().contains(FROM_CACHE), "the CLI's classes come from the cache\n" + tail(r));
    assertTrue(
        r.stdout().contains("picocli.CommandLine source: shared objects file"),
        "so do picocli's, compiled for this Java\n" + tail(r));
  }

  /**
   * The cache belongs to the release's runtime: {@code ocean} started by another Java (OCEAN_JAVA)
   * runs without it and says nothing about it.
   */
  @Test
  void anotherJavaRunsWithoutTheCacheQuietly() throws IOException {
    Path otherJava = Path.of(System.getProperty("java.home"), "bin", "java");
    assertTrue(
        !otherJava.toRealPath().startsWith(DIST.resolve("runtime").toRealPath()),
        "the tests run on a Java other than the release's");
    String ocean = DIST.resolve("bin/ocean").toAbsolutePath().toString();

    Result r = Exec.run(home, Map.of("OCEAN_JAVA", otherJava.toString()), "", ocean, "--version");

    assertEquals(0, r.exit(), r.describe());
    assertEquals("ocean 0.1.0", r.stdout().strip(), r.describe());
    assertEquals("", r.stderr(), r.describe());
    Result traced =
        Exec.run(
            home,
            Map.of("OCEAN_JAVA", otherJava.toString(), "OCEAN_JAVA_OPTS", "-Xlog:class+load"),
            "",
            ocean,
            "-V");
    assertTrue(!traced.stdout().contains(FROM_CACHE), "the cache is not used");
  }

  private static String tail(Result r) {
    String all = r.output();
    return all.length() <= 2000 ? all : all.substring(all.length() - 2000);
  }
}
