package dev.ocean.agent.work;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Reaches a port inside a run (an instance's sshd, its editor, a user's Jupyter) for a tunnel: the
 * narrow seam between the tunnel and the container runtime, which knows how the port is reached (a
 * published host port, or the engine's exec with {@code nc}).
 */
public interface PortOpener {

  /** A byte stream to the port; closing it closes the connection. */
  interface Connection extends Closeable {
    InputStream input() throws IOException;

    OutputStream output() throws IOException;
  }

  /**
   * Connects to {@code port} inside run {@code runId}.
   *
   * @throws IOException with a sentence the user reads when the port cannot be reached
   */
  Connection open(String runId, int port) throws IOException;

  /** An opener that reaches nothing, saying why: a node whose runtime has no way in yet. */
  static PortOpener refusing(String why) {
    return (runId, port) -> {
      throw new IOException(why);
    };
  }

  /** A TCP connection to {@code host:port} on this machine (a published port, a test's server). */
  static Connection tcp(String host, int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), 5000);
      socket.setTcpNoDelay(true);
    } catch (IOException e) {
      socket.close();
      throw new IOException(
          "cannot connect to port " + port + " on " + host + ": " + e.getMessage(), e);
    }
    return new Connection() {
      @Override
      public InputStream input() throws IOException {
        return socket.getInputStream();
      }

      @Override
      public OutputStream output() throws IOException {
        return socket.getOutputStream();
      }

      @Override
      public void close() throws IOException {
        socket.close();
      }
    };
  }
}
