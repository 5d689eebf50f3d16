package dev.ocean.agent.runtime.docker;

import dev.ocean.common.validation.PortRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;

/**
 * How {@link DockerRuntime} starts instances: the address users reach them on ({@code
 * --advertise-address}; published ports are bound to it alone), the host ports it may publish on
 * ({@code --port-range}), and the host directory where it keeps the init it mounts read-only into
 * every instance.
 */
public record InstanceOptions(String advertiseAddress, PortRange ports, Path initDir) {

  public InstanceOptions {
    Objects.requireNonNull(advertiseAddress, "advertiseAddress");
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(initDir, "initDir");
  }

  /**
   * Options from the flags' values: a null address means the primary interface's, a null range the
   * default one.
   */
  public static InstanceOptions of(String advertiseAddress, String portRange, Path initDir) {
    return new InstanceOptions(
        advertiseAddress == null ? primaryAddress() : checkAddress(advertiseAddress),
        PortRange.parse(portRange),
        initDir);
  }

  /** Defaults: the primary address, the default range, the init under the temp directory. */
  static InstanceOptions defaults(String agentName) {
    String safe = agentName.replaceAll("[^A-Za-z0-9_.-]", "_");
    return of(null, null, Path.of(System.getProperty("java.io.tmpdir"), "ocean-init-" + safe));
  }

  public InstanceOptions withAdvertiseAddress(String address) {
    return new InstanceOptions(checkAddress(address), ports, initDir);
  }

  public InstanceOptions withPorts(PortRange range) {
    return new InstanceOptions(advertiseAddress, range, initDir);
  }

  /** Rejects what is not an IP address of this machine, with a sentence naming the flag. */
  public static String checkAddress(String address) {
    try {
      if (!address.matches("[0-9A-Fa-f:.]+")) {
        throw new IllegalArgumentException(
            "--advertise-address must be an IP address of this machine, not '" + address + "'");
      }
      InetAddress ip = InetAddress.getByName(address);
      if (!ip.isLoopbackAddress() && NetworkInterface.getByInetAddress(ip) == null) {
        throw new IllegalArgumentException(
            "--advertise-address " + address + " is not an address of this machine");
      }
      return ip.getHostAddress();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--advertise-address must be an IP address of this machine, not '" + address + "'");
    }
  }

  /**
   * The address of the interface that carries the default route (no packet is sent), else the first
   * non-loopback IPv4 address, else loopback.
   */
  static String primaryAddress() {
    try (DatagramSocket probe = new DatagramSocket()) {
      probe.connect(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 9));
      InetAddress local = probe.getLocalAddress();
      if (local != null && !local.isAnyLocalAddress() && !local.isLoopbackAddress()) {
        return local.getHostAddress();
      }
    } catch (IOException | RuntimeException e) {
      // no default route: fall through
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            return a.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      // fall through
    }
    return "127.0.0.1";
  }

  /** Creates the init directory if needed. */
  Path ensureInitDir() {
    try {
      return Files.createDirectories(initDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + initDir, e);
    }
  }
}
