package dev.ocean.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * One shared client for every simulated agent and API client of a scenario: JSON calls on
 * kept-alive connections ({@link RawHttp}), conditional GETs and streams through the JDK's client.
 * Thousands of simulated nodes must not each hold a client with its own pool and threads.
 */
final class Http {
  static final ObjectMapper JSON = Json.newMapper();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(30))
          .executor(Executors.newVirtualThreadPerTaskExecutor())
          .build();
  private final String api;

  /** Where {@link #get} and {@link #post} go: kept-alive connections, cheap on the client side. */
  private final RawHttp raw;

  Http(String baseUrl) {
    this.api = baseUrl + "/api/v1";
    this.raw = new RawHttp(baseUrl, AgentProtocol.HEADER + ": " + AgentProtocol.VERSION + "\r\n");
  }

  /** A call that failed with an HTTP status, so callers can tell a conflict from an outage. */
  static final class Status extends RuntimeException {
    final int code;

    /** The answer's {@code Retry-After} in seconds; 0 when it had none. */
    final long retryAfterSeconds;

    Status(int code, String body, long retryAfterSeconds) {
      super("HTTP " + code + ": " + body);
      this.code = code;
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  <T> T get(String auth, String path, Class<T> type, Duration timeout) {
    return send("GET", auth, path, null, null, timeout, type);
  }

  <T> T post(String auth, String path, Object body, Class<T> type) {
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return send("POST", auth, path, "application/json", json, Duration.ofSeconds(60), type);
  }

  <T> T postBytes(String auth, String path, byte[] bytes, Class<T> type) {
    return send(
        "POST", auth, path, "application/octet-stream", bytes, Duration.ofSeconds(60), type);
  }

  /**
   * A GET answered as bytes, unparsed (the client's JSON parsing is not the server's latency),
   * optionally conditional with {@code If-None-Match}.
   */
  HttpResponse<byte[]> raw(String auth, String path, String ifNoneMatch) {
    var b = request(path, Duration.ofSeconds(60)).header("Authorization", auth);
    if (ifNoneMatch != null) {
      b.header("If-None-Match", ifNoneMatch);
    }
    try {
      return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A streaming GET (log follow); the caller reads and closes the body. */
  HttpResponse<java.io.InputStream> stream(String auth, String path) {
    try {
      return client.send(
          request(path, Duration.ofMinutes(10)).header("Authorization", auth).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(api + path))
        .timeout(timeout)
        .header(AgentProtocol.HEADER, String.valueOf(AgentProtocol.VERSION));
  }

  private <T> T send(
      String method,
      String auth,
      String path,
      String contentType,
      byte[] body,
      Duration timeout,
      Class<T> type) {
    try {
      RawHttp.Answer r = raw.exchange(method, "/api/v1" + path, auth, contentType, body, timeout);
      if (r.status() >= 300) {
        throw new Status(r.status(), new String(r.body()), r.retryAfterSeconds());
      }
      if (type == Void.class || r.body().length == 0) {
        return null;
      }
      return JSON.readValue(r.body(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }
}
