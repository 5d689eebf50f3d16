package dev.ocean.agent.work;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Reaches any port inside a run's container with no published port: the Docker Engine API's exec
 * runs {@code nc 127.0.0.1 PORT} in the container (Ocean's own busybox, mounted by the instance
 * runtime at {@code /.ocean/busybox}), and its stdin and stdout, hijacked from the HTTP connection
 * ({@code Upgrade: tcp}), become the tunnel's stream. No shell is involved; the port is a number.
 */
public final class DockerExecPortOpener implements PortOpener {
  /** The command that relays stdin/stdout to a port inside the container. */
  public static final IntFunction<List<String>> OCEAN_NC =
      port -> List.of("/.ocean/busybox", "nc", "127.0.0.1", Integer.toString(port));

  private static final ObjectMapper JSON = Json.newMapper();

  private final SocketAddress engine;
  private final Function<String, String> containerOf;
  private final IntFunction<List<String>> relay;

  /**
   * @param dockerHost the engine, {@code unix:///run/podman/podman.sock} or {@code tcp://h:p}
   * @param containerOf the container name or id of a run
   * @param relay the command run in the container to reach a port, e.g. {@link #OCEAN_NC}
   */
  public DockerExecPortOpener(
      String dockerHost, Function<String, String> containerOf, IntFunction<List<String>> relay) {
    URI uri = URI.create(dockerHost);
    this.engine =
        "unix".equals(uri.getScheme())
            ? UnixDomainSocketAddress.of(uri.getPath())
            : new InetSocketAddress(uri.getHost(), uri.getPort());
    this.containerOf = containerOf;
    this.relay = relay;
  }

  @Override
  public Connection open(String runId, int port) throws IOException {
    String container = containerOf.apply(runId);
    byte[] create =
        JSON.writeValueAsBytes(
            Map.of(
                "AttachStdin", true,
                "AttachStdout", true,
                "AttachStderr", false,
                "Tty", false,
                "Cmd", relay.apply(port)));
    String execId;
    try (SocketChannel ch = SocketChannel.open(engine)) {
      write(ch, request("/containers/" + container + "/exec", create, false));
      InputStream in = Channels.newInputStream(ch);
      int status = status(readHead(in));
      byte[] body = in.readAllBytes(); // HTTP/1.0: the engine closes after the body
      if (status != 201 && status != 200) {
        throw new IOException(
            "the container engine refused to reach port " + port + ": " + text(body));
      }
      JsonNode id = JSON.readTree(body).path("Id");
      if (!id.isTextual()) {
        throw new IOException("the container engine gave no exec id: " + text(body));
      }
      execId = id.asText();
    }
    SocketChannel ch = SocketChannel.open(engine);
    try {
      write(
          ch,
          request(
              "/exec/" + execId + "/start",
              "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.UTF_8),
              true));
      InputStream in = Channels.newInputStream(ch);
      int status = status(readHead(in));
      if (status != 101 && status != 200) {
        throw new IOException(
            "the container engine did not start the relay to port "
                + port
                + " (HTTP "
                + status
                + ")");
      }
      return new Hijacked(ch, new StdoutFrames(in), Channels.newOutputStream(ch));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static byte[] request(String path, byte[] body, boolean upgrade) {
    String head =
        "POST "
            + path
            + (upgrade ? " HTTP/1.1\r\n" : " HTTP/1.0\r\n")
            + "Host: docker\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\n"
            + (upgrade ? "Connection: Upgrade\r\nUpgrade: tcp\r\n" : "")
            + "\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  private static void write(SocketChannel ch, byte[] bytes) throws IOException {
    var buffer = java.nio.ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      ch.write(buffer);
    }
  }

  /** The status line and headers, read byte by byte so no stream byte after them is taken. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last = 0;
    while (last != 0x0d0a0d0a) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the container engine closed the connection");
      }
      head.write(b);
      last = (last << 8) | b;
      if (head.size() > 64 * 1024) {
        throw new IOException("the container engine's answer has no end of headers");
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static int status(String head) throws IOException {
    String[] first = head.split("\r\n", 2)[0].split(" ");
    try {
      return Integer.parseInt(first[1]);
    } catch (RuntimeException e) {
      throw new IOException("the container engine answered '" + first[0] + "'");
    }
  }

  private static String text(byte[] body) {
    String t = new String(body, StandardCharsets.UTF_8).strip();
    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
  }

  /** The hijacked connection: stdin raw, stdout in frames. */
  private record Hijacked(SocketChannel channel, InputStream input, OutputStream output)
      implements Connection {
    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /**
   * The stdout of an exec without a TTY: frames of an 8-byte header (stream, three zero bytes,
   * big-endian length) and a payload; stderr frames are dropped.
   */
  static final class StdoutFrames extends InputStream {
    private final InputStream in;
    private long left;

    StdoutFrames(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (left == 0) {
        byte[] header = in.readNBytes(8);
        if (header.length < 8) {
          return -1;
        }
        long size =
            ((header[4] & 0xffL) << 24)
                | ((header[5] & 0xffL) << 16)
                | ((header[6] & 0xffL) << 8)
                | (header[7] & 0xffL);
        if (header[0] == 1) {
          left = size;
        } else {
          in.skipNBytes(size);
        }
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        return -1;
      }
      left -= n;
      return n;
    }
  }
}
