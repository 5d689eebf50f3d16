package dev.ocean.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Kept-alive HTTP/1.1 connections to one server, shared by every simulated agent and API client of
 * a scenario, each request written and its answer read whole on one of them, the way load
 * generators such as {@code wrk} do. The simulated agents run on the same two cores as the server:
 * the JDK's client took 0.2-0.5 ms of CPU per request, about as much as the server's own work for a
 * heartbeat, so the figures measured the simulator as much as the server. The server does the same
 * work for these requests as for any other.
 */
final class RawHttp {
  /** A status, the answer's {@code Retry-After} in seconds (0 when none), and the body. */
  record Answer(int status, long retryAfterSeconds, byte[] body) {}

  private final String host;
  private final int port;
  private final String fixedHeaders;
  private final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();

  /**
   * Connections open at once, at most: 10,000 simulated nodes each holding a long poll and sending
   * reports beside it otherwise opened more than the server's 20,000 file descriptors (it answered
   * "Too many open files"); a request past the bound waits for a connection to come back.
   */
  static final int MAX_CONNECTIONS = 12_000;

  private final Semaphore open = new Semaphore(MAX_CONNECTIONS);

  /** Connections to {@code baseUrl}; every request carries {@code fixedHeaders} (CRLF-ended). */
  RawHttp(String baseUrl, String fixedHeaders) {
    URI uri = URI.create(baseUrl);
    this.host = uri.getHost();
    this.port = uri.getPort();
    this.fixedHeaders = "Host: " + host + ":" + port + "\r\n" + fixedHeaders;
  }

  /**
   * Sends one request and reads its answer. A kept-alive connection the server closed while it was
   * idle fails before any answer comes; the request is then sent once more on a new connection, as
   * OkHttp and the JDK's client do.
   */
  Answer exchange(
      String method, String path, String auth, String contentType, byte[] body, Duration timeout)
      throws IOException {
    byte[] request = request(method, path, auth, contentType, body);
    while (true) {
      Conn c = idle.pollFirst();
      if (c != null) {
        try {
          return c.exchange(request, timeout);
        } catch (IOException e) {
          c.close();
          if (c.answered) {
            throw e;
          }
          continue; // one the server had closed: the next, or a new one
        }
      }
      try {
        if (open.tryAcquire(5, TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for a connection", e);
      }
    }
    Conn fresh;
    try {
      fresh = new Conn(new Socket(host, port));
    } catch (IOException e) {
      open.release();
      throw e;
    }
    try {
      return fresh.exchange(request, timeout);
    } catch (IOException e) {
      fresh.close();
      throw e;
    }
  }

  /** Closes the idle connections. */
  void close() {
    for (Conn c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
      c.close();
    }
  }

  private byte[] request(String method, String path, String auth, String contentType, byte[] body) {
    StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path);
    head.append(" HTTP/1.1\r\n").append(fixedHeaders);
    if (auth != null) {
      head.append("Authorization: ").append(auth).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    if (body == null) {
      return h;
    }
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  /** One connection; back in the pool after each whole answer unless the server closes it. */
  private final class Conn {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    /** Whether any byte of an answer came on this connection during the last exchange. */
    boolean answered;

    private final java.util.concurrent.atomic.AtomicBoolean closed =
        new java.util.concurrent.atomic.AtomicBoolean();

    Conn(Socket socket) throws IOException {
      this.socket = socket;
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    Answer exchange(byte[] request, Duration timeout) throws IOException {
      answered = false;
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      out.write(request);
      out.flush();
      String status = line();
      answered = true;
      if (status.length() < 12 || !status.startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP answer: " + status);
      }
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      long retryAfter = 0;
      boolean chunked = false;
      boolean close = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        String name = h.substring(0, colon).trim();
        String value = h.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          length = Long.parseLong(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          chunked = value.equalsIgnoreCase("chunked");
        } else if (name.equalsIgnoreCase("Connection")) {
          close = value.equalsIgnoreCase("close");
        } else if (name.equalsIgnoreCase("Retry-After")) {
          retryAfter = seconds(value);
        }
      }
      byte[] body;
      if (chunked) {
        var b = new ByteArrayOutputStream();
        for (int n = Integer.parseInt(line().trim(), 16); n > 0; ) {
          b.write(in.readNBytes(n));
          line();
          n = Integer.parseInt(line().trim(), 16);
        }
        while (!line().isEmpty()) {} // trailers
        body = b.toByteArray();
      } else if (length >= 0) {
        body = in.readNBytes((int) length);
      } else if (code == 204 || code == 304 || code / 100 == 1) {
        body = new byte[0];
      } else {
        body = in.readAllBytes(); // to the end of the connection
        close = true;
      }
      if (close) {
        close();
      } else {
        idle.offerFirst(this); // the most recently used first: few connections stay busy
      }
      return new Answer(code, retryAfter, body);
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

    void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      open.release();
      try {
        socket.close();
      } catch (IOException e) {
        // closing
      }
    }
  }

  private static long seconds(String header) {
    try {
      return Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
