package dev.ocean.common.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server that takes every connection on 127.0.0.1 (port 0) and never answers, as a frozen process
 * ({@code kill -STOP}) or a stuck listener does: a client's connect succeeds and its read times
 * out.
 */
public final class SilentServer implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Socket> taken = new CopyOnWriteArrayList<>();

  public SilentServer() {
    try {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread.ofVirtual().name("silent-server").start(this::accept);
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        taken.add(socket.accept());
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Its address, {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  /** How many connections it took. */
  public int accepted() {
    return taken.size();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : taken) {
      s.close();
    }
  }
}
