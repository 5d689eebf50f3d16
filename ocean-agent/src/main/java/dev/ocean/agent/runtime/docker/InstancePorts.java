package dev.ocean.agent.runtime.docker;

import dev.ocean.agent.runtime.RunRuntimeException;
import dev.ocean.common.validation.PortRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The host ports this agent's instances hold: picked from the range, free when checked (a bind on
 * the advertised address succeeds), remembered per run until {@link #release}, and taken back from
 * the containers' labels after an agent restart.
 */
final class InstancePorts {

  /** The two host ports of one instance run. */
  record Pair(int ssh, int editor) {}

  private final String address;
  private final PortRange range;
  private final Map<String, Pair> held = new HashMap<>();

  InstancePorts(String address, PortRange range) {
    this.address = address;
    this.range = range;
  }

  /** Reserves two free ports for {@code runId}, or returns those it already holds. */
  synchronized Pair reserve(String runId) {
    Pair existing = held.get(runId);
    if (existing != null) {
      return existing;
    }
    Set<Integer> taken = new HashSet<>();
    held.values().forEach(p -> taken.addAll(Set.of(p.ssh(), p.editor())));
    int start = ThreadLocalRandom.current().nextInt(range.size());
    int[] found = new int[2];
    int count = 0;
    for (int i = 0; i < range.size() && count < 2; i++) {
      int port = range.low() + (start + i) % range.size();
      if (!taken.contains(port) && bindable(port)) {
        found[count++] = port;
      }
    }
    if (count < 2) {
      throw new RunRuntimeException(
          "no two free ports left in this node's --port-range " + range + " on " + address);
    }
    Pair pair = new Pair(found[0], found[1]);
    held.put(runId, pair);
    return pair;
  }

  /** Keeps the ports a re-adopted run's container was published on. */
  synchronized void adopt(String runId, Pair pair) {
    held.put(runId, pair);
  }

  synchronized Pair get(String runId) {
    return held.get(runId);
  }

  synchronized void release(String runId) {
    held.remove(runId);
  }

  private boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
