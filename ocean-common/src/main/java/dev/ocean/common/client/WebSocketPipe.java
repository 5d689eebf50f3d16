package dev.ocean.common.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * One end of a tunnel: a WebSocket whose binary messages carry a byte stream both ways, used by the
 * CLI ({@code ocean instance proxy}, {@code port-forward}) and by the agent (to the port inside an
 * instance). Bytes from the peer are written to {@code out} on okhttp's reader thread, so a slow
 * {@code out} stops reading from the socket (TCP backpressure); bytes sent wait while more than
 * {@link #QUEUE_LIMIT} are queued, so neither side buffers without bound.
 */
public final class WebSocketPipe extends WebSocketListener {
  /** The largest message this end sends; the server refuses much larger ones. */
  public static final int CHUNK = 32 * 1024;

  /** Bytes queued for sending above which the sender waits. */
  static final long QUEUE_LIMIT = 1024 * 1024;

  /** Normal closure: the stream ended on purpose. */
  public static final int NORMAL = 1000;

  /** Closure because of a failure on this side, with the reason. */
  public static final int FAILED = 1011;

  /** How a tunnel ended: the close code and the reason the closing side gave. */
  public record Closed(int code, String reason) {
    public boolean normal() {
      return code == NORMAL;
    }
  }

  private final OceanClient client;
  private final OutputStream out;
  private final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();

  private WebSocketPipe(OceanClient client, OutputStream out) {
    this.client = client;
    this.out = out;
  }

  /**
   * Opens the WebSocket at {@code path} and waits until the server accepted it; bytes from the peer
   * go to {@code out} from then on.
   *
   * @throws OceanClientException when the server refused it (the server's sentence) or could not be
   *     reached within {@code timeout}
   */
  public static WebSocketPipe open(
      OceanClient client, String path, OutputStream out, Duration timeout) {
    WebSocketPipe pipe = new WebSocketPipe(client, out);
    WebSocket ws = client.webSocket(path, pipe);
    try {
      pipe.opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return pipe;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof OceanClientException c
          ? c
          : new OceanClientException(String.valueOf(e.getCause().getMessage()), e.getCause());
    } catch (TimeoutException e) {
      ws.cancel();
      throw new OceanClientException(
          "the Ocean server at " + client.baseUrl() + " did not open the tunnel in time", e);
    } catch (InterruptedException e) {
      ws.cancel();
      Thread.currentThread().interrupt();
      throw new OceanClientException("interrupted while opening the tunnel", e);
    }
  }

  /**
   * Sends what {@code in} yields until it ends, then closes the tunnel normally; returns early when
   * the tunnel closed first.
   */
  public void sendFrom(InputStream in) {
    WebSocket ws = opened.join();
    byte[] buffer = new byte[CHUNK];
    try {
      int n;
      while (!closed.isDone() && (n = in.read(buffer)) >= 0) {
        while (ws.queueSize() > QUEUE_LIMIT && !closed.isDone()) {
          // okhttp has no "drained" callback; a short park is cheap next to the network
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        if (n > 0 && !ws.send(ByteString.of(buffer, 0, n))) {
          return;
        }
      }
      ws.close(NORMAL, null);
    } catch (IOException e) {
      close(FAILED, "reading the local side failed: " + e.getMessage());
    }
  }

  /** Closes the tunnel with a code and a reason the other end sees. */
  public void close(int code, String reason) {
    WebSocket ws = opened.getNow(null);
    if (ws != null) {
      ws.close(code, shorten(reason));
    }
  }

  /** Waits until the tunnel is closed, by either side, and says how. */
  public Closed awaitClose() throws InterruptedException {
    try {
      return closed.get();
    } catch (ExecutionException e) {
      return new Closed(FAILED, e.getCause().getMessage());
    }
  }

  /** Whether the tunnel is closed already. */
  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void onOpen(WebSocket ws, Response response) {
    opened.complete(ws);
  }

  @Override
  public void onMessage(WebSocket ws, ByteString bytes) {
    try {
      bytes.write(out);
      out.flush();
    } catch (IOException e) {
      ws.close(FAILED, shorten("the receiving side closed: " + e.getMessage()));
      closed.complete(new Closed(FAILED, "the receiving side closed: " + e.getMessage()));
    }
  }

  @Override
  public void onMessage(WebSocket ws, String text) {
    ws.close(1003, "a tunnel carries binary messages only");
  }

  @Override
  public void onClosing(WebSocket ws, int code, String reason) {
    ws.close(NORMAL, null);
    closed.complete(new Closed(code, reason));
  }

  @Override
  public void onClosed(WebSocket ws, int code, String reason) {
    closed.complete(new Closed(code, reason));
  }

  @Override
  public void onFailure(WebSocket ws, Throwable t, Response response) {
    OceanClientException why = client.refusal(t, response);
    if (!opened.isDone()) {
      opened.completeExceptionally(why);
    }
    closed.complete(new Closed(FAILED, why.getMessage()));
  }

  /** A close reason must fit in 123 bytes of UTF-8. */
  static String shorten(String reason) {
    if (reason == null) {
      return null;
    }
    String r = reason;
    while (r.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123) {
      r = r.substring(0, r.length() - 2) + "…";
      if (r.length() <= 1) {
        break;
      }
    }
    return r;
  }
}
