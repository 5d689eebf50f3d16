package dev.ocean.server.durability;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted on a test's directory, so a test can fill a disk for real. Needs root
 * (mount); elsewhere the test is skipped, except in CI ({@code CI=true}) where it fails.
 */
final class SmallDisk implements AutoCloseable {
  private final Path mountPoint;

  private SmallDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  static SmallDisk mount(Path mountPoint, String size) throws Exception {
    Files.createDirectories(mountPoint);
    String out =
        run(
            "mount",
            "-t",
            "tmpfs",
            "-o",
            "size=" + size + ",mode=0700",
            "tmpfs",
            mountPoint.toString());
    if (out != null) {
      String why = "cannot mount a tmpfs for the disk-full test (run it as root): " + out;
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why);
      }
      Assumptions.abort(why);
    }
    return new SmallDisk(mountPoint);
  }

  /** Fills the disk: writes {@code file} until the disk has no room left. */
  void fill(Path file) throws IOException {
    byte[] block = new byte[16 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left")) {
        throw e;
      }
    }
  }

  /** Null when the command succeeded, else what it printed. */
  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timed out";
    }
    return p.exitValue() == 0 ? null : out.strip() + " (exit " + p.exitValue() + ")";
  }

  @Override
  public void close() throws Exception {
    String out = run("umount", mountPoint.toString());
    if (out != null) {
      run("umount", "-l", mountPoint.toString());
    }
  }
}
