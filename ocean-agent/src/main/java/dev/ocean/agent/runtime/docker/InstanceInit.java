package dev.ocean.agent.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Puts Ocean's instance init ({@code instance-init.sh}) and, when this host has a statically linked
 * busybox, a copy of it in the directory that instances mount read-only at {@code /.ocean}. The
 * busybox lets the init work in images without the usual tools; it must be static because the
 * image's libraries are unknown.
 */
final class InstanceInit {

  private static final String SCRIPT = "instance-init.sh";
  private static final String[] BUSYBOXES = {"/bin/busybox", "/usr/bin/busybox"};

  private InstanceInit() {}

  /**
   * Writes {@code init} (and {@code busybox}) into {@code dir} when missing or outdated.
   *
   * @return whether {@code dir} holds a busybox the init can run with
   */
  static synchronized boolean install(Path dir) {
    try {
      byte[] script;
      try (InputStream in = InstanceInit.class.getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new IllegalStateException("the agent lacks its resource " + SCRIPT);
        }
        script = in.readAllBytes();
      }
      Path init = dir.resolve("init");
      if (!Files.exists(init) || !Arrays.equals(Files.readAllBytes(init), script)) {
        Path tmp = dir.resolve("init.tmp");
        Files.write(tmp, script);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, init, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      Path source = staticBusybox();
      Path copy = dir.resolve("busybox");
      if (source == null) {
        return Files.isExecutable(copy);
      }
      if (!Files.exists(copy) || Files.size(copy) != Files.size(source)) {
        Path tmp = dir.resolve("busybox.tmp");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the instance init into " + dir, e);
    }
  }

  /** The host's busybox when it needs no shared libraries, else null. */
  static Path staticBusybox() throws IOException {
    Path found =
        Stream.of(BUSYBOXES).map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    if (found == null) {
      return null;
    }
    // a dynamically linked ELF names its loader (ld-linux…, ld-musl…) near its start
    byte[] head;
    try (InputStream in = Files.newInputStream(found)) {
      head = in.readNBytes(8192);
    }
    String text = new String(head, StandardCharsets.ISO_8859_1);
    return text.contains("/ld-linux") || text.contains("/ld-musl") ? null : found.toRealPath();
  }
}
