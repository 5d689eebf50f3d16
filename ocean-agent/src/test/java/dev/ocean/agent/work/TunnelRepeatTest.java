package dev.ocean.agent.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.agent.TunnelOpen;
import dev.ocean.common.client.OceanClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The server offers a tunnel again until its agent connects (the poll that carried it may be one
 * the agent gave up); the agent opens each tunnel once, however often it is offered.
 */
class TunnelRepeatTest {

  @Test
  void aRepeatedOfferOfATunnelOpenedAlreadyOpensNothing() throws Exception {
    try (ServerSocket port = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        ServerSocket nowhere = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AtomicInteger reached = new AtomicInteger();
      PortOpener ports =
          (runId, p) -> {
            reached.incrementAndGet();
            return PortOpener.tcp("127.0.0.1", port.getLocalPort());
          };
      // a server that accepts and never answers: the tunnel's own connection goes nowhere
      OceanClient server = OceanClient.forUser("http://127.0.0.1:" + nowhere.getLocalPort(), null);
      TunnelOpener opener = new TunnelOpener(() -> server, ports);
      TunnelOpen t = new TunnelOpen("tunnel-1", "7-0.1", 22);

      assertTrue(opener.open(t), "first offer: opened");
      port.setSoTimeout(10_000);
      try (Socket reachedPort = port.accept()) {
        assertFalse(opener.open(t), "the same tunnel offered again: nothing new");
        assertFalse(opener.open(t));
        assertTrue(opener.open(new TunnelOpen("tunnel-2", "7-0.1", 22)), "another tunnel opens");
        try (Socket second = port.accept()) {
          assertEquals(2, reached.get(), "the port was reached once per tunnel");
        }
      }
    }
  }
}
