package dev.ocean.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection that sends a prepared request again and again, the way load
 * generators such as {@code wrk} do. The API scenario's clients run on the same two cores as the
 * server: the JDK's client took 0.2-0.5 ms of CPU per submission, as much as the server's own work,
 * so the figure measured the client as much as the server. The server does the same work for these
 * requests as for any other; every answer's status is checked, and its body is read whole (by
 * {@code Content-Length} or chunks) before the next request goes out.
 */
final class KeepAliveClient implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final byte[] request;

  /** A client that sends {@code POST path} with {@code json} and {@code auth}. */
  KeepAliveClient(String baseUrl, String path, String auth, byte[] json) throws IOException {
    URI uri = URI.create(baseUrl);
    socket = new Socket(uri.getHost(), uri.getPort());
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: "
            + uri.getHost()
            + ":"
            + uri.getPort()
            + "\r\nAuthorization: "
            + auth
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + json.length
            + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    request = new byte[h.length + json.length];
    System.arraycopy(h, 0, request, 0, h.length);
    System.arraycopy(json, 0, request, h.length, json.length);
  }

  /** Sends the request once and returns the answer's body; fails unless the status is 2xx. */
  byte[] send() throws IOException {
    out.write(request);
    out.flush();
    String status = line();
    if (status.length() < 12 || status.charAt(9) != '2') {
      throw new IOException("answered " + status);
    }
    long length = -1;
    boolean chunked = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      var body = new java.io.ByteArrayOutputStream();
      for (int n = Integer.parseInt(line().trim(), 16); n > 0; ) {
        body.write(in.readNBytes(n));
        line();
        n = Integer.parseInt(line().trim(), 16);
      }
      line();
      return body.toByteArray();
    }
    if (length < 0) {
      throw new IOException("an answer without a length on a kept-alive connection");
    }
    return in.readNBytes((int) length);
  }

  private String line() throws IOException {
    var b = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the server closed the connection");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
