package dev.ocean.agent.runtime.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds {@value #IMAGE} into a {@link PodmanFixture}, with no registry: a test image for instances
 * made from this machine's own OpenSSH server ({@code sshd}, {@code ssh-keygen}, the libraries
 * {@code ldd} names, a minimal {@code sshd_config} without PAM, the {@code sshd} privilege
 * separation user), its static busybox for a shell and tools, and a stand-in editor: a {@code
 * code-server} on the path that serves {@value #EDITOR_PAGE} on port 8080 with busybox httpd. Like
 * a minimal image, it has no {@code linuxbrew} user and no {@code useradd} or {@code adduser}.
 *
 * <p>Needs {@code openssh-server} installed (CI's {@code .ci/run} installs it); without it the
 * calling tests are skipped, or fail when {@code CI} is set.
 */
public final class SshdImage {

  public static final String IMAGE = "localhost/ocean-test-sshd:latest";

  /** What the stand-in editor answers on {@code GET /}. */
  public static final String EDITOR_PAGE = "ocean test editor";

  private static final Pattern LIB = Pattern.compile("(/\\S+)\\s+\\(0x");

  private SshdImage() {}

  /** Builds the image into {@code podman} (once per fixture) and returns its name. */
  public static String build(PodmanFixture podman) throws IOException, InterruptedException {
    Path sshd = Path.of("/usr/sbin/sshd");
    Path keygen = Path.of("/usr/bin/ssh-keygen");
    PodmanFixture.need(
        Files.isExecutable(sshd) && Files.isExecutable(keygen),
        "openssh-server is not installed (apt-get install openssh-server)");
    if (podman.podman("image", "exists", IMAGE) == null) {
      return IMAGE;
    }
    Path rootfs = Files.createTempDirectory("ocean-sshd-rootfs-");
    try {
      // the image's / gets this directory's mode: users must be able to enter it
      Files.setPosixFilePermissions(rootfs, PosixFilePermissions.fromString("rwxr-xr-x"));
      PodmanFixture.busyboxRoot(rootfs);
      Set<Path> binaries = new LinkedHashSet<>(List.of(sshd, keygen));
      for (String helper : List.of("sshd-session", "sshd-auth", "sftp-server")) {
        Path p = Path.of("/usr/lib/openssh", helper);
        if (Files.isExecutable(p)) {
          binaries.add(p);
        }
      }
      Set<Path> libraries = new LinkedHashSet<>();
      for (Path binary : binaries) {
        copy(binary, rootfs);
        libraries.addAll(libraries(binary));
      }
      for (Path library : libraries) {
        copy(library, rootfs);
      }
      write(
          rootfs,
          "etc/passwd",
          "root:x:0:0:root:/root:/bin/sh\n"
              + "sshd:x:100:65534::/run/sshd:/bin/false\n"
              + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
      write(rootfs, "etc/group", "root:x:0:\nnogroup:x:65534:\n");
      write(rootfs, "etc/shadow", "root:*:19000:0:99999:7:::\nsshd:*:19000:0:99999:7:::\n");
      write(rootfs, "etc/nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\n");
      write(
          rootfs,
          "etc/ssh/sshd_config",
          """
          Port 22
          UsePAM no
          PubkeyAuthentication yes
          PasswordAuthentication no
          KbdInteractiveAuthentication no
          PidFile none
          Subsystem sftp internal-sftp
          """);
      write(
          rootfs,
          "etc/profile",
          "for f in /etc/profile.d/*.sh; do [ -r \"$f\" ] && . \"$f\"; done\n");
      write(rootfs, "srv/www/index.html", EDITOR_PAGE + "\n");
      write(
          rootfs, "usr/bin/code-server", "#!/bin/sh\nexec busybox httpd -f -p 8080 -h /srv/www\n");
      Files.setPosixFilePermissions(
          rootfs.resolve("usr/bin/code-server"), PosixFilePermissions.fromString("rwxr-xr-x"));
      for (String dir : List.of("run/sshd", "root", "home", "var/empty", "etc/profile.d")) {
        Files.createDirectories(rootfs.resolve(dir));
      }
      podman.importRoot(rootfs, IMAGE);
      return IMAGE;
    } finally {
      try (Stream<Path> paths = Files.walk(rootfs)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The shared libraries {@code ldd} says {@code binary} loads, the loader included. */
  private static Set<Path> libraries(Path binary) throws IOException, InterruptedException {
    Process ldd = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
    String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (ldd.waitFor() != 0) {
      throw new IOException("ldd " + binary + ": " + out.strip());
    }
    Set<Path> found = new LinkedHashSet<>();
    Matcher m = LIB.matcher(out);
    while (m.find()) {
      found.add(Path.of(m.group(1)));
    }
    return found;
  }

  /** Copies {@code file}'s content (links followed) to the same path under {@code rootfs}. */
  private static void copy(Path file, Path rootfs) throws IOException {
    Path target = rootfs.resolve(file.toString().substring(1));
    Files.createDirectories(target.getParent());
    if (!Files.exists(target)) {
      Files.copy(file.toRealPath(), target);
    }
  }

  private static void write(Path rootfs, String path, String text) throws IOException {
    Path target = rootfs.resolve(path);
    Files.createDirectories(target.getParent());
    Files.writeString(target, text);
  }
}
