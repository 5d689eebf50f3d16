package dev.ocean.agent.runtime.docker;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Gives tests a private Docker-compatible engine: a rootful {@code podman system service} whose
 * storage, config and socket live in a temp directory, holding one image built locally with no
 * registry, {@value #IMAGE} (Debian's static busybox with its applet links). When podman is missing
 * or cannot run a container here, the calling tests are skipped with the reason.
 *
 * <p>Shared with other modules' tests through ocean-agent's test jar; {@link #output} lets a test
 * look at containers from outside. Use:
 *
 * <pre>
 *   &#64;TestInstance(PER_CLASS) class MyTest {
 *     PodmanFixture podman;
 *     &#64;BeforeAll void startPodman() { podman = PodmanFixture.start(); }
 *     &#64;AfterAll void stopPodman() { podman.close(); }
 *     // podman.socket(), podman.dockerHost(), PodmanFixture.IMAGE
 *   }
 * </pre>
 *
 * Needs root and the packages in {@code .ci/podman-setup.sh}.
 */
public final class PodmanFixture implements AutoCloseable {

  public static final String IMAGE = "localhost/ocean-test-busybox:latest";

  private final Path dir;
  private final Map<String, String> env;
  private Process service;

  private PodmanFixture(Path dir) {
    this.dir = dir;
    this.env =
        Map.of(
            "CONTAINERS_CONF", dir.resolve("containers.conf").toString(),
            "CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString());
  }

  /** Starts the service with the image in place, or skips the calling tests. */
  public static PodmanFixture start() throws IOException, InterruptedException {
    Path busybox =
        Stream.of("/bin/busybox", "/usr/bin/busybox")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    need(onPath("podman"), "podman is not installed (see .ci/podman-setup.sh)");
    need(busybox != null, "busybox is not installed (apt-get install busybox-static)");
    PodmanFixture podman = new PodmanFixture(Files.createTempDirectory("ocean-podman-"));
    try {
      podman.configure();
      podman.importBusybox(busybox);
      String smoke = podman.podman("run", "--rm", "--network", "host", IMAGE, "true");
      need(smoke == null, "podman cannot run containers here: " + smoke);
      podman.startService();
      return podman;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      podman.close();
      throw e;
    }
  }

  /** The service's Unix socket. */
  public Path socket() {
    return dir.resolve("podman.sock");
  }

  /** The service as a {@code DOCKER_HOST} URI. */
  public String dockerHost() {
    return "unix://" + socket();
  }

  /** Runs a podman command against this fixture's storage; returns null or the failure output. */
  public String podman(String... args) throws IOException, InterruptedException {
    ProcessOutput result = exec(args);
    return result.exit() == 0 ? null : String.join(" ", args) + ": " + result.text().strip();
  }

  /** Runs a podman command against this fixture's storage and returns what it printed. */
  public String output(String... args) throws IOException, InterruptedException {
    ProcessOutput result = exec(args);
    if (result.exit() != 0) {
      throw new IOException("podman " + String.join(" ", args) + ": " + result.text().strip());
    }
    return result.text();
  }

  private record ProcessOutput(int exit, String text) {}

  private ProcessOutput exec(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "podman",
                "--root",
                dir.resolve("root").toString(),
                "--runroot",
                dir.resolve("runroot").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new ProcessOutput(process.waitFor(), output);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (Files.exists(dir.resolve("root"))) {
      podman("rm", "--all", "--force", "--time", "0");
    }
    if (service != null) {
      service.destroy();
      if (!service.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        service.destroyForcibly().waitFor();
      }
    }
    // a container's slirp4netns helper may still be leaving its files as it exits
    long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
        return;
      } catch (java.nio.file.DirectoryNotEmptyException | java.nio.file.NoSuchFileException e) {
        if (System.nanoTime() > until) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private void configure() throws IOException {
    // rootful podman without systemd or a registry: runc, cgroupfs, host network, file logs
    Files.writeString(
        dir.resolve("containers.conf"),
        """
        [containers]
        default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
        netns = "host"
        log_driver = "k8s-file"

        [engine]
        runtime = "runc"
        cgroup_manager = "cgroupfs"
        events_logger = "file"
        tmp_dir = "%1$s/tmp"
        static_dir = "%1$s/static"
        volume_path = "%1$s/volumes"

        [network]
        network_config_dir = "%1$s/networks"
        """
            .formatted(dir));
    Files.writeString(
        dir.resolve("storage.conf"),
        """
        [storage]
        driver = "vfs"
        graphroot = "%1$s/root"
        runroot = "%1$s/runroot"
        """
            .formatted(dir));
  }

  private void importBusybox(Path busybox) throws IOException, InterruptedException {
    Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
    busyboxRoot(rootfs, busybox);
    importRoot(rootfs, IMAGE);
  }

  /**
   * Fills {@code rootfs} with this machine's busybox in {@code /bin}, its applet links, {@code
   * /tmp}.
   */
  static void busyboxRoot(Path rootfs) throws IOException, InterruptedException {
    Path busybox =
        Stream.of("/bin/busybox", "/usr/bin/busybox")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(() -> new IOException("busybox is not installed"));
    busyboxRoot(rootfs, busybox);
  }

  private static void busyboxRoot(Path rootfs, Path busybox)
      throws IOException, InterruptedException {
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    Files.createDirectories(rootfs.resolve("tmp"));
    Files.copy(busybox, bin.resolve("busybox"));
    Process list = new ProcessBuilder(busybox.toString(), "--list").start();
    String applets = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    list.waitFor();
    for (String applet : applets.split("\\s+")) {
      if (!applet.isBlank() && !applet.equals("busybox")) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
  }

  /** Imports the directory {@code rootfs} as the image {@code image} (no command, no registry). */
  void importRoot(Path rootfs, String image) throws IOException, InterruptedException {
    Path tar = Files.createTempFile(dir, "rootfs-", ".tar");
    Process tarring =
        new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".")
            .redirectErrorStream(true)
            .start();
    String tarOutput = new String(tarring.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (tarring.waitFor() != 0) {
      throw new IOException("cannot tar the root filesystem: " + tarOutput);
    }
    String failure = podman("import", tar.toString(), image);
    Files.deleteIfExists(tar);
    need(failure == null, "podman cannot import an image here: " + failure);
  }

  /**
   * Skips the calling test when a real part is missing on a developer's machine; fails it when
   * {@code CI} is set, since a missing real part on CI must fail the build, never hide as a skip.
   */
  static void need(boolean present, String why) {
    if (present) {
      return;
    }
    String ci = System.getenv("CI");
    if (ci != null && !ci.isBlank()) {
      fail(why + " (CI is set, so the container tests must run, not be skipped)");
    }
    assumeTrue(false, why);
  }

  private void startService() throws IOException {
    List<String> command =
        List.of(
            "podman",
            "--root",
            dir.resolve("root").toString(),
            "--runroot",
            dir.resolve("runroot").toString(),
            "system",
            "service",
            "--time=0",
            "unix://" + socket());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("service.log").toFile());
    builder.environment().putAll(env);
    service = builder.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!pingAnswers()) {
      if (!service.isAlive() || System.nanoTime() > deadline) {
        need(
            false,
            "podman service did not answer /_ping: "
                + Files.readString(dir.resolve("service.log")).strip());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  private boolean pingAnswers() {
    if (!Files.exists(socket())) {
      return false;
    }
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
      channel.write(
          ByteBuffer.wrap(
              "GET /_ping HTTP/1.0\r\nHost: d\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      InputStream in = Channels.newInputStream(channel);
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      return answer.startsWith("HTTP/1.") && answer.contains(" 200 ");
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    return Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }
}
