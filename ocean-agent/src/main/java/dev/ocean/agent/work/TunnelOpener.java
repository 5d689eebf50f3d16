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

  /** {@code client}: the agent's current client (node credential and protocol header set). */
  public TunnelOpener(Supplier<OceanClient> client, PortOpener ports) {
    this.client = client;
    this.ports = ports;
  }

  /** Opens the tunnel in the background; returns at once. */
  public void open(TunnelOpen tunnel) {
    Thread.ofVirtual().name("ocean-tunnel-" + tunnel.runId()).start(() -> carry(tunnel));
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
