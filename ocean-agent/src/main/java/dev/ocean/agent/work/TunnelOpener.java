package dev.ocean.agent.work;

import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.agent.TunnelOpen;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.OceanClientException;
import dev.ocean.common.client.WebSocketPipe;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the tunnels the server asks for in the work poll: connects back to the server's tunnel
 * endpoint with the node's credential, then to the port inside the run, and carries bytes both ways
 * until either side closes. When the port cannot be reached, the tunnel is closed with the reason,
 * which the user reads.
 */
public final class TunnelOpener {
  private static final Logger LOG = LoggerFactory.getLogger(TunnelOpener.class);
  private static final Duration CONNECT = Duration.ofSeconds(10);

  private final Supplier<OceanClient> client;
  private final PortOpener ports;

  /** How long an opened tunnel's id is remembered, to ignore the server's repeats of it. */
  private static final Duration REMEMBER = Duration.ofMinutes(1);

  /** The ids of the tunnels opened lately, with when (nanoTime). */
  private final java.util.Map<String, Long> opened = new java.util.concurrent.ConcurrentHashMap<>();

  /** {@code client}: the agent's current client (node credential and protocol header set). */
  public TunnelOpener(Supplier<OceanClient> client, PortOpener ports) {
    this.client = client;
    this.ports = ports;
  }

  /**
   * Opens the tunnel in the background and returns at once; true unless this agent opened it
   * already: the server offers a tunnel again until its agent connects, since the poll that carried
   * it may be one the agent gave up.
   */
  public boolean open(TunnelOpen tunnel) {
    long now = System.nanoTime();
    // a tunnel id is valid for seconds: one remembered a minute is never offered again
    opened.values().removeIf(at -> now - at > REMEMBER.toNanos());
    if (opened.putIfAbsent(tunnel.id(), now) != null) {
      return false;
    }
    Thread.ofVirtual().name("ocean-tunnel-" + tunnel.runId()).start(() -> carry(tunnel));
    return true;
  }

  private void carry(TunnelOpen t) {
    PortOpener.Connection local = null;
    String refused = null;
    try {
      local = ports.open(t.runId(), t.port());
    } catch (IOException | RuntimeException e) {
      refused = e.getMessage();
    }
    WebSocketPipe pipe;
    try {
      OutputStream out = local == null ? OutputStream.nullOutputStream() : local.output();
      pipe = WebSocketPipe.open(client.get(), AgentProtocol.tunnel(t.id()), out, CONNECT);
    } catch (IOException | OceanClientException e) {
      LOG.warn("run {}: cannot open tunnel to port {}: {}", t.runId(), t.port(), e.getMessage());
      closeQuietly(local);
      return;
    }
    if (local == null) {
      pipe.close(WebSocketPipe.FAILED, "cannot reach port " + t.port() + ": " + refused);
      return;
    }
    try {
      PortOpener.Connection conn = local;
      Thread sender =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      pipe.sendFrom(conn.input());
                    } catch (IOException e) {
                      pipe.close(WebSocketPipe.FAILED, "the port closed: " + e.getMessage());
                    }
                  });
      pipe.awaitClose();
      closeQuietly(local); // ends the sender's read
      sender.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      pipe.close(WebSocketPipe.FAILED, "the agent is shutting down");
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(local);
    }
  }

  private static void closeQuietly(PortOpener.Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }
}
