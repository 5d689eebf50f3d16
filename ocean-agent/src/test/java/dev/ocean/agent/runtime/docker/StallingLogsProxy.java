package dev.ocean.agent.runtime.docker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Unix socket in front of a Docker-compatible engine that relays every request and answer as they
 * are, except log follows ({@code GET /containers/{id}/logs?...follow=1}) once {@link
 * #stallFollows} was called: a follow request sent after it is never answered, and a follow stream
 * already flowing stops bringing anything, while the connection stays open. That is what Podman
 * sometimes does for a container that has already exited.
 */
final class StallingLogsProxy implements AutoCloseable {

  private final Path engine;
  private final Path socket;
  private final ServerSocketChannel server;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger stalled = new AtomicInteger();
  private volatile boolean stallFollows;

  private StallingLogsProxy(Path engine, Path socket) throws IOException {
    this.engine = engine;
    this.socket = socket;
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread.ofPlatform().daemon().name("stalling-proxy").start(this::accept);
  }

  /** A proxy listening on {@code dir/proxy.sock} in front of the engine at {@code engine}. */
  static StallingLogsProxy start(Path engine, Path dir) throws IOException {
    return new StallingLogsProxy(engine, dir.resolve("proxy.sock"));
  }

  Path socket() {
    return socket;
  }

  /** From now on, log follows get no answer and flowing ones no more bytes. */
  void stallFollows() {
    stallFollows = true;
  }

  /** How many follow requests or streams were stalled. */
  int stalled() {
    return stalled.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (SocketChannel channel : open) {
      channel.close();
    }
  }

  private void accept() {
    try {
      while (true) {
        SocketChannel client = server.accept();
        open.add(client);
        Thread.ofPlatform().daemon().start(() -> serve(client));
      }
    } catch (IOException closed) {
      // the proxy was closed
    }
  }

  /** The state of one relayed connection. */
  private static final class Connection {
    volatile boolean follow;
    volatile boolean stalled;
  }

  private void serve(SocketChannel client) {
    try (client;
        SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(engine))) {
      open.add(upstream);
      Connection connection = new Connection();
      Thread.ofPlatform().daemon().start(() -> relayAnswers(upstream, client, connection));
      InputStream in = new BufferedInputStream(Channels.newInputStream(client));
      byte[] head;
      while ((head = readHead(in)) != null) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String requestLine = text.substring(0, text.indexOf("\r\n"));
        connection.follow = requestLine.contains("/logs?") && requestLine.contains("follow=1");
        if (connection.follow && stallFollows && !connection.stalled) {
          connection.stalled = true; // never sent on: the engine never answers it
          stalled.incrementAndGet();
        }
        byte[] body = in.readNBytes(contentLength(text));
        if (!connection.stalled) {
          writeAll(upstream, head);
          writeAll(upstream, body);
        }
      }
    } catch (IOException e) {
      // the client or the engine hung up
    } finally {
      open.remove(client);
    }
  }

  /** Relays the engine's answers, except those of a follow once follows stall. */
  private void relayAnswers(SocketChannel upstream, SocketChannel client, Connection connection) {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    try (client) {
      while (upstream.read(buffer.clear()) >= 0) {
        if (connection.follow && stallFollows) {
          if (!connection.stalled) {
            connection.stalled = true; // the stream goes silent from here on
            stalled.incrementAndGet();
          }
          continue;
        }
        writeAll(client, buffer.flip());
      }
    } catch (IOException e) {
      // the client or the engine hung up
    } finally {
      open.remove(upstream);
    }
  }

  /** An HTTP request's head up to its blank line, or null at the end of the stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      byte[] bytes = head.toByteArray();
      int n = bytes.length;
      if (n >= 4
          && bytes[n - 4] == '\r'
          && bytes[n - 3] == '\n'
          && bytes[n - 2] == '\r'
          && bytes[n - 1] == '\n') {
        return bytes;
      }
    }
    return null;
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("transfer-encoding:")) {
        throw new IllegalStateException("chunked requests are not relayed: " + line);
      }
      if (lower.startsWith("content-length:")) {
        return Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
      }
    }
    return 0;
  }

  private static void writeAll(SocketChannel channel, byte[] bytes) throws IOException {
    writeAll(channel, ByteBuffer.wrap(bytes));
  }

  private static void writeAll(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
