package dev.ocean.agent.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.common.api.instance.InstanceEndpoints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An instance's SSH and editor ports reached through the host ports they are published on. */
class PublishedPortOpenerTest {

  @Test
  void theSshPortLeadsToItsPublishedHostPort() throws Exception {
    try (ServerSocket sshd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      var opener =
          new PublishedPortOpener(
              runId ->
                  Optional.of(
                      new InstanceEndpoints("10.0.0.5", sshd.getLocalPort(), 1, null, true, null)));
      try (PortOpener.Connection c = opener.open("7-0.1", 22);
          Socket accepted = sshd.accept()) {
        accepted.getOutputStream().write("SSH-2.0-test\r\n".getBytes());
        assertEquals('S', c.input().read());
      }
    }
  }

  @Test
  void otherPortsAndUnknownRunsAreRefusedWithAReason() {
    var opener =
        new PublishedPortOpener(
            runId ->
                runId.equals("7-0.1")
                    ? Optional.of(new InstanceEndpoints("10.0.0.5", 30022, 30080, null, true, true))
                    : Optional.empty());
    assertEquals(
        "this node reaches only ports 22 and 8080 of an instance, not 8888",
        assertThrows(IOException.class, () -> opener.open("7-0.1", 8888)).getMessage());
    assertEquals(
        "the instance's ports are not published on this node",
        assertThrows(IOException.class, () -> opener.open("8-0.1", 22)).getMessage());
  }
}
