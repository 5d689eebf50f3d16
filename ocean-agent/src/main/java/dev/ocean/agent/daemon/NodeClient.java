package dev.ocean.agent.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ocean.common.api.Problem;
import dev.ocean.common.client.FailureSentences;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.OceanClientException;
import dev.ocean.common.client.PlainHttpWarning;
import dev.ocean.common.client.ServerList;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;

/**
 * The agent's HTTP client of the server: JSON calls as a node, over the JDK's {@link
 * HttpURLConnection}. It answers, fails over between several servers and words its failures as
 * {@link OceanClient} does (same exceptions, same sentences), without OkHttp and the Kotlin
 * standard library, which cost an idle agent about 9 MB of resident memory and three threads, and
 * with {@link RecordJson} for JSON instead of Jackson's databind. Tunnels (WebSockets) still go
 * through {@link #oceanClient()}, built when first needed.
 */
public final class NodeClient {
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How long a request waits for an answer when other servers could answer it instead: a heartbeat
   * stuck on a frozen server moves to the next well before the node counts as lost (30 s), while a
   * live server answers a heartbeat, a report or a log append in milliseconds.
   */
  static final Duration READ_TIMEOUT_WITH_OTHERS = Duration.ofSeconds(10);

  private final String spec;
  private final ServerList servers;
  private final String authorization;
  private final Map<String, String> headers;
  private final String caCert;
  private final CaTrust tls;
  private final Duration readTimeout;
  private volatile OceanClient full;

  private NodeClient(
      String spec,
      ServerList servers,
      String authorization,
      Map<String, String> headers,
      String caCert,
      CaTrust tls,
      Duration readTimeout) {
    this.spec = spec;
    this.servers = servers;
    this.authorization = authorization;
    this.headers = headers;
    this.caCert = caCert;
    this.tls = tls;
    this.readTimeout = readTimeout;
  }

  /**
   * A client of the servers in {@code spec} (one URL, or several separated by commas) sending
   * {@code authorization} (when not null) and {@code headers} with every request, trusting the PEM
   * certificates in {@code caCert} (when not null) besides the system's CAs.
   *
   * @throws OceanClientException when {@code caCert} cannot be used
   */
  public static NodeClient of(
      String spec, String authorization, Map<String, String> headers, String caCert) {
    CaTrust tls = caCert == null ? null : new CaTrust(Path.of(caCert));
    ServerList servers = ServerList.parse(spec);
    return new NodeClient(
        spec,
        servers,
        authorization,
        Map.copyOf(new LinkedHashMap<>(headers)),
        caCert,
        tls,
        servers.size() > 1 ? READ_TIMEOUT_WITH_OTHERS : READ_TIMEOUT);
  }

  /**
   * The same client (and server list) waiting up to {@code timeout} for answers: long polls, whose
   * timeout exceeds the wait they ask the server for, so only a server that overran it counts as
   * not answering.
   */
  public NodeClient withReadTimeout(Duration timeout) {
    return new NodeClient(spec, servers, authorization, headers, caCert, tls, timeout);
  }

  /** The server requests go to now (the one that answered last, of several). */
  public String baseUrl() {
    return servers.current();
  }

  /**
   * The full client of the same servers, credential, headers and trust, for WebSockets (tunnels);
   * made on first use, so an agent without tunnels never loads OkHttp.
   */
  public OceanClient oceanClient() {
    OceanClient c = full;
    if (c == null) {
      c = OceanClient.withAuthorization(spec, authorization);
      for (Map.Entry<String, String> h : headers.entrySet()) {
        c = c.withHeader(h.getKey(), h.getValue());
      }
      c = caCert == null ? c : c.withTrustedCertificates(Path.of(caCert));
      full = c;
    }
    return c;
  }

  public <T> T get(String path, Class<T> type) {
    return call("GET", path, null, null, type, true);
  }

  /**
   * POSTs {@code body} as JSON (an empty request when null) and reads the answer as {@code type}.
   * The request must be safe to repeat, as the agent protocol's are (heartbeats; reports and log
   * appends, which name the run attempt and the log offset): when a server takes it and does not
   * answer in time, it goes to the next server.
   */
  public <T> T post(String path, Object body, Class<T> type) {
    return call("POST", path, encode(body), body == null ? null : "application/json", type, true);
  }

  /**
   * Like {@link #post}, for a request that must not be carried out twice (a registration uses up
   * its join token): when a server takes it and does not answer in time, it is not sent to another.
   */
  public <T> T postOnce(String path, Object body, Class<T> type) {
    return call("POST", path, encode(body), body == null ? null : "application/json", type, false);
  }

  /** Sends raw bytes (e.g. log chunks, safe to repeat) and returns the JSON answer. */
  public <T> T postBytes(String path, byte[] body, String contentType, Class<T> type) {
    return call("POST", path, body, contentType, type, true);
  }

  private static byte[] encode(Object body) {
    try {
      return body == null ? new byte[0] : RecordJson.write(body, false);
    } catch (RuntimeException e) {
      throw new OceanClientException("could not encode the request: " + e.getMessage(), e);
    }
  }

  /** Encodes text as one URL path segment, so it can never change the path. */
  public static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private <T> T call(
      String method,
      String path,
      byte[] body,
      String contentType,
      Class<T> type,
      boolean repeatable) {
    Answer a = send(method, path, body, contentType, repeatable);
    if (a.code < 200 || a.code > 299) {
      throw FailureSentences.errorFrom(
          a.code,
          a.message,
          a.contentType,
          a.location,
          a.retryAfter,
          a.text,
          a.base,
          text -> RecordJson.read(text.getBytes(StandardCharsets.UTF_8), Problem.class));
    }
    if (type == null || a.code == 204) {
      return null;
    }
    if (!a.contentType.contains("json")) {
      throw new OceanClientException(
          "the server at " + a.base + " did not answer with Ocean's API; is the address right?");
    }
    try {
      return RecordJson.read(a.text.getBytes(StandardCharsets.UTF_8), type);
    } catch (JsonProcessingException e) {
      // getMessage() appends the source location on a second line; users get one sentence
      throw new OceanClientException(
          "the answer from the Ocean server at "
              + a.base
              + " is not the JSON expected: "
              + e.getOriginalMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      throw new OceanClientException(
          "the answer from the Ocean server at "
              + a.base
              + " is not the JSON expected: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Sends to the server in use and, when it is gone or fails (HTTP 5xx), to each other one in turn,
   * as {@code Failover} does for {@link OceanClient}: a request that never reached a server is safe
   * to send again; a 5xx is answered before anything is committed; a {@code repeatable} request
   * that got no answer in time goes on too.
   */
  private Answer send(
      String method, String path, byte[] body, String contentType, boolean repeatable) {
    String base = servers.current();
    boolean allGone = true;
    for (int tried = 1; ; tried++) {
      boolean more = tried < servers.size() && !Thread.currentThread().isInterrupted();
      Answer answer;
      try {
        answer = once(method, base, path, body, contentType);
      } catch (OceanClientException e) {
        Throwable why = e.getCause();
        boolean slow = !ServerList.gone(why) && ServerList.timedOut(why);
        boolean gone = ServerList.gone(why) || slow && repeatable;
        if (more && slow && !repeatable) {
          throw FailureSentences.notResent(e, base);
        }
        if (!more && gone && allGone && servers.size() > 1) {
          throw FailureSentences.noneAnswered(servers.all(), e);
        }
        if (!more || !gone) {
          throw e;
        }
        base = servers.advanceFrom(base);
        continue;
      }
      if (!more || answer.code < 500) {
        return answer;
      }
      allGone = false;
      base = servers.advanceFrom(base);
    }
  }

  private Answer once(String method, String base, String path, byte[] body, String contentType) {
    URI uri = NodeAddress.uri(base, path);
    String host = NodeAddress.host(uri);
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) uri.toURL().openConnection();
      if (https && tls != null) {
        ((HttpsURLConnection) c).setSSLSocketFactory(tls.factory());
      }
      c.setConnectTimeout(CONNECT_TIMEOUT_MS);
      c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
      c.setRequestMethod(method);
      c.setRequestProperty("Accept", "application/json");
      if (authorization != null) {
        PlainHttpWarning.warnOnceIfPlainHttp(https, host);
        c.setRequestProperty("Authorization", authorization);
      }
      headers.forEach(c::setRequestProperty);
      if (body != null) {
        if (contentType != null) {
          c.setRequestProperty("Content-Type", contentType);
        }
        // Buffered, not streamed: in streaming mode the JDK hides a 401's answer behind an
        // HttpRetryException, and a 401 tells the agent its node was removed.
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
          out.write(body);
        }
      }
      int code = c.getResponseCode();
      String type = c.getContentType();
      String location = code >= 300 && code < 400 ? c.getHeaderField("Location") : "";
      String text = read(code >= 400 ? c.getErrorStream() : c.getInputStream());
      return new Answer(
          base,
          code,
          c.getResponseMessage(),
          type == null ? "" : type,
          location,
          c.getHeaderField("Retry-After"),
          text);
    } catch (InterruptedIOException e) {
      throw FailureSentences.timeout(e, base);
    } catch (SSLException e) {
      throw FailureSentences.unanswered(NodeAddress.hostnameMismatch(e), host, base);
    } catch (IOException e) {
      throw FailureSentences.unanswered(e, host, base);
    }
  }

  private static String read(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (in) {
      // read to the end, so the connection goes back to the JDK's keep-alive cache
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** One answer as read off the wire, from the server at {@code base}. */
  private record Answer(
      String base,
      int code,
      String message,
      String contentType,
      String location,
      String retryAfter,
      String text) {}
}
