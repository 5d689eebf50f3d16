package dev.ocean.agent.runtime.docker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@code --port-range} for tests whose every port is free on loopback now and lies below the
 * kernel's ephemeral range, so no outgoing connection of another process can take one of them while
 * the test runs (an instance that finds a port of its range taken cannot start).
 */
public final class FreePortRange {
  private FreePortRange() {}

  /** The first port of {@code size} consecutive free ones, e.g. {@code low + "-" + (low + 9)}. */
  public static int low(int size) {
    int ceiling = ephemeralLow() - size;
    for (int attempt = 0; attempt < 200; attempt++) {
      int low = ThreadLocalRandom.current().nextInt(20000, Math.max(20001, ceiling));
      if (allFree(low, size)) {
        return low;
      }
    }
    throw new IllegalStateException("no " + size + " consecutive free ports below " + ceiling);
  }

  private static boolean allFree(int low, int size) {
    for (int port = low; port < low + size; port++) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32768; // Linux's default
    }
  }
}
