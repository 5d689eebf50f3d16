package dev.ocean.cli.instance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The system {@code ssh} as a user runs it after {@code ocean ssh-config}. */
final class SystemSsh {
  private SystemSsh() {}

  /**
   * Runs {@code ssh -F HOME/.ssh/ocean/config ocean-box CMD} with {@code key}, {@code bin} (where
   * {@code ocean} is) first on the PATH and {@code env} (the server and token); returns stdout and
   * stderr together.
   */
  static String viaConfig(Path home, Path bin, Map<String, String> env, Path key, String command)
      throws Exception {
    // ssh expands ~ with the account's home, not $HOME: the test names the known-hosts file
    ProcessBuilder pb =
        new ProcessBuilder(
                "ssh",
                "-F",
                home.resolve(".ssh/ocean/config").toString(),
                "-o",
                "UserKnownHostsFile=" + home.resolve(".ssh/ocean/known_hosts"),
                "-o",
                "BatchMode=yes",
                "-o",
                "IdentitiesOnly=yes",
                "-i",
                key.toString(),
                "ocean-box",
                command)
            .redirectErrorStream(true);
    pb.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
    pb.environment().putAll(env);
    Process ssh = pb.start();
    try {
      String out = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(ssh.waitFor(60, TimeUnit.SECONDS), "ssh ended");
      return out;
    } finally {
      ssh.destroyForcibly();
    }
  }
}
