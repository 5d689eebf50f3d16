package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH server for the {@code ocean node add} tests: {@code /usr/sbin/sshd -D -e -f
 * CONFIG} on a free loopback port, with its own ed25519 host key and one authorized client key in a
 * temporary directory. It lets root in by key only. Without sshd or root the tests are skipped on a
 * developer's machine and fail on CI.
 */
public final class Sshd implements AutoCloseable {
  public static final Path SSHD = Path.of("/usr/sbin/sshd");

  public final Path dir;
  public final int port;
  public final Path clientKey;
  public final Path hostKey;
  private final Process process;

  private Sshd(Path dir, int port, Path clientKey, Path hostKey, Process process) {
    this.dir = dir;
    this.port = port;
    this.clientKey = clientKey;
    this.hostKey = hostKey;
    this.process = process;
  }

  /** Skips the test when sshd cannot run here, unless on CI (CI=true), where that fails it. */
  public static void requireSshd() {
    String why = null;
    if (!Files.isExecutable(SSHD)) {
      why = SSHD + " is missing (apt-get install openssh-server)";
    } else if (!"root".equals(System.getProperty("user.name"))) {
      why = "sshd must run as root to log users in";
    }
    if (why != null) {
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
  }

  public static Sshd start(Path dir) throws IOException, InterruptedException {
    return start(dir, true);
  }

  /** An sshd that offers the SFTP subsystem only when {@code sftp}. */
  public static Sshd start(Path dir, boolean sftp) throws IOException, InterruptedException {
    requireSshd();
    Files.createDirectories(dir);
    Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
    Path hostKey = keygen(dir.resolve("host_ed25519"));
    Path clientKey = keygen(dir.resolve("client_ed25519"));
    Files.copy(dir.resolve("client_ed25519.pub"), dir.resolve("authorized_keys"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("sshd_config");
    Files.writeString(
        config,
        String.join(
            "\n",
            "Port " + port,
            "ListenAddress 127.0.0.1",
            "HostKey " + hostKey,
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "PidFile " + dir.resolve("sshd.pid"),
            sftp ? "Subsystem sftp internal-sftp" : "",
            ""));
    Process p =
        new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sshd.log").toFile())
            .start();
    Sshd sshd = new Sshd(dir, port, clientKey, hostKey, p);
    Poll.check(
        Duration.ofSeconds(20),
        "sshd listens on port " + port + " (log: " + dir.resolve("sshd.log") + ")",
        () -> {
          if (!p.isAlive()) {
            throw new AssertionError("sshd exited: " + log(dir));
          }
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
          } catch (IOException e) {
            return false;
          }
        });
    return sshd;
  }

  /** Makes an unencrypted ed25519 key pair at {@code key} and {@code key.pub}. */
  static Path keygen(Path key) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), () -> "ssh-keygen failed: " + out);
    return key;
  }

  /** The known_hosts line that trusts {@code hostPub} (a .pub file) for this server. */
  String knownHostsLine(Path hostPub) throws IOException {
    List<String> parts = List.of(Files.readString(hostPub).strip().split(" "));
    return "[127.0.0.1]:" + port + " " + parts.get(0) + " " + parts.get(1) + "\n";
  }

  /** The host key's fingerprint as {@code ssh-keygen -l} prints it ({@code SHA256:...}). */
  public String fingerprint() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ssh-keygen", "-l", "-f", hostKey + ".pub").start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    return out.split(" ")[1];
  }

  private static String log(Path dir) {
    try {
      return Files.readString(dir.resolve("sshd.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    process.destroy();
  }
}
