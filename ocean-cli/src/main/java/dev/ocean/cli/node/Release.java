package dev.ocean.cli.node;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The release that {@code ocean node add} copies to a host: this CLI's own installation ({@code
 * bin/} and {@code lib/} beside the launcher named by the {@code ocean.launcher} property), packed
 * into a temporary tarball.
 */
final class Release implements AutoCloseable {
  final Path tarball;
  final long size;

  private Release(Path tarball) throws IOException {
    this.tarball = tarball;
    this.size = Files.size(tarball);
  }

  /** The installation to upload: {@code dir} when given, else the one this CLI runs from. */
  static Path home(Path dir) {
    Path home = dir;
    if (home == null) {
      String launcher = System.getProperty("ocean.launcher");
      if (launcher == null) {
        throw new CliException(
            ExitCodes.ERROR,
            "cannot find this installation to copy to the host; run the `ocean` launcher from the"
                + " release");
      }
      home = Path.of(launcher).toAbsolutePath().getParent().getParent();
    }
    if (!Files.isExecutable(home.resolve("bin").resolve("ocean-agent"))
        || !Files.isDirectory(home.resolve("lib"))) {
      throw new CliException(
          ExitCodes.ERROR,
          home + " is not a complete Ocean installation (no bin/ocean-agent or lib/) to copy");
    }
    return home;
  }

  /**
   * Packs {@code home}'s bin/, lib/ and runtime/ (when there is one) into a temporary tar.gz with
   * the system's tar.
   */
  static Release pack(Path home) {
    try {
      Path tar = Files.createTempFile("ocean-release", ".tar.gz");
      java.util.List<String> command =
          new java.util.ArrayList<>(
              java.util.List.of(
                  "tar", "-czf", tar.toString(), "-C", home.toString(), "bin", "lib"));
      if (Files.isDirectory(home.resolve("runtime"))) {
        command.add("runtime"); // the release's own Java runtime: the host needs no Java
      }
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      if (p.waitFor() != 0) {
        Files.deleteIfExists(tar);
        throw new CliException(ExitCodes.ERROR, "cannot pack " + home + " with tar: " + out);
      }
      return new Release(tar);
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot pack " + home + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.ERROR, "interrupted while packing " + home);
    }
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(tarball);
    } catch (IOException e) {
      // a temporary file; the system cleans it up eventually
    }
  }
}
