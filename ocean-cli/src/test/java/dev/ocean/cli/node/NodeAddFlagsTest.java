package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean node add} refuses a missing key file and a malformed port range as usage errors
 * (exit 2) before it connects anywhere, like its other flags (qa11 T12), not after the SSH
 * connection (or, for the range, on the host once the release was copied there).
 */
class NodeAddFlagsTest {
  @TempDir Path dir;
  private TestCluster cluster;
  private int closedPort;

  @BeforeEach
  void start() throws IOException {
    cluster = new TestCluster(dir);
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort(); // nothing listens there once closed: connecting would fail
    }
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private TestCluster.Run add(String... flags) {
    String[] args = new String[flags.length + 5];
    args[0] = "node";
    args[1] = "add";
    args[2] = "root@127.0.0.1";
    args[3] = "--port";
    args[4] = String.valueOf(closedPort);
    System.arraycopy(flags, 0, args, 5, flags.length);
    return cluster.admin(args);
  }

  @Test
  void missingIdentityFileIsAUsageErrorBeforeConnecting() {
    Path missing = dir.resolve("no-such-key");

    TestCluster.Run r = add("--identity", missing.toString());

    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("--identity " + missing + " is not a readable key file"), r.err());
    assertFalse((r.out() + r.err()).contains("Connecting"), "no connection tried: " + r);
  }

  @Test
  void identityThatIsADirectoryIsAUsageError() {
    TestCluster.Run r = add("--identity", dir.toString());

    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("--identity " + dir + " is not a readable key file"), r.err());
  }

  @Test
  void malformedPortRangeIsAUsageErrorBeforeConnecting() {
    TestCluster.Run backwards = add("--port-range", "2000-1999");
    assertEquals(2, backwards.exit(), backwards.err());
    assertTrue(
        backwards.err().contains("--port-range must be LOW-HIGH within 1024-65535"),
        backwards.err());
    assertFalse((backwards.out() + backwards.err()).contains("Connecting"), backwards.toString());

    TestCluster.Run garbled = add("--port-range", "lots");
    assertEquals(2, garbled.exit(), garbled.err());
    assertTrue(garbled.err().contains("--port-range must look like 30000-32767"), garbled.err());
  }
}
