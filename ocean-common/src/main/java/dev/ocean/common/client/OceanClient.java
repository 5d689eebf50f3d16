package dev.ocean.common.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.json.Json;
import dev.ocean.common.tls.PemException;
import dev.ocean.common.tls.TrustedCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * The one HTTP client of Ocean's REST API, used by the CLI, the agent and the tests. Every failure
 * becomes an {@link OceanClientException} whose message is one sentence for a user; server errors
 * become {@link OceanApiException} carrying the problem detail.
 */
public final class OceanClient {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String API = "/api/v1";

  private final ServerList servers;
  private final String authorization;
  private final OkHttpClient http;
  private final ObjectMapper mapper = Json.newMapper();
  private final java.util.Map<String, String> headers;

  private OceanClient(ServerList servers, String authorization, OkHttpClient http) {
    this(servers, authorization, http, java.util.Map.of());
  }

  private OceanClient(
      ServerList servers,
      String authorization,
      OkHttpClient http,
      java.util.Map<String, String> headers) {
    this.servers = servers;
    this.authorization = authorization;
    this.http = http;
    this.headers = headers;
  }

  /** The same client sending one more header on every request (e.g. the agent protocol). */
  public OceanClient withHeader(String name, String value) {
    var more = new java.util.HashMap<>(headers);
    more.put(name, value);
    return new OceanClient(servers, authorization, http, java.util.Map.copyOf(more));
  }

  /**
   * A client for user calls, authenticated with {@code token} when it is not null. {@code baseUrl}
   * may name several servers of one cluster separated by commas: the client fails over between them
   * ({@link ServerList}).
   */
  public static OceanClient forUser(String baseUrl, String token) {
    ServerList servers = ServerList.parse(baseUrl);
    return new OceanClient(servers, token == null ? null : "Bearer " + token, defaultHttp(servers));
  }

  /** A client with a custom authorization header value (the agent's node credential). */
  public static OceanClient withAuthorization(String baseUrl, String authorization) {
    ServerList servers = ServerList.parse(baseUrl);
    return new OceanClient(servers, authorization, defaultHttp(servers));
  }

  /** The response header that carries warnings for the caller (an idle instance stops soon). */
  public static final String NOTICE = "Ocean-Notice";

  /** The same client handing every {@link #NOTICE} header the server sends to {@code sink}. */
  public OceanClient withNotices(java.util.function.Consumer<String> sink) {
    return new OceanClient(
        servers,
        authorization,
        http.newBuilder()
            .addInterceptor(
                chain -> {
                  Response r = chain.proceed(chain.request());
                  r.headers(NOTICE).forEach(sink);
                  return r;
                })
            .build(),
        headers);
  }

  /** The same client with other timeouts, e.g. for long polls or a quick CLI. */
  public OceanClient withReadTimeout(Duration timeout) {
    return new OceanClient(
        servers,
        authorization,
        http.newBuilder().readTimeout(timeout).callTimeout(Duration.ZERO).build(),
        headers);
  }

  /**
   * The same client also trusting the certificates in {@code pemFile} (a private CA, or the
   * server's own self-signed certificate), besides the system's CAs.
   *
   * @throws OceanClientException when the file cannot be read or holds no certificate
   */
  public OceanClient withTrustedCertificates(Path pemFile) {
    TrustedCertificates trust;
    try {
      trust = TrustedCertificates.systemPlus(pemFile);
    } catch (PemException e) {
      throw new OceanClientException(e.getMessage(), e);
    }
    return new OceanClient(
        servers,
        authorization,
        http.newBuilder()
            .sslSocketFactory(trust.sslContext().getSocketFactory(), trust.trustManager())
            .build(),
        headers);
  }

  private static OkHttpClient defaultHttp(ServerList servers) {
    OkHttpClient.Builder b =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(30))
            .writeTimeout(Duration.ofSeconds(30))
            .retryOnConnectionFailure(true);
    if (servers.allPlainHttp()) {
      // A plain-HTTP client never sets up TLS: loading the system's CA store costs a CLI command
      // about 150 ms. A redirect to https is then answered, not followed (see errorFrom).
      b.connectionSpecs(java.util.List.of(ConnectionSpec.CLEARTEXT)).followSslRedirects(false);
    }
    return b.build();
  }

  /** The server requests go to now (the one that answered last, of several). */
  public String baseUrl() {
    return servers.current();
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  public <T> T get(String path, Class<T> type) {
    return call(request(path).get().build(), mapper.constructType(type));
  }

  public <T> T get(String path, TypeReference<T> type) {
    return call(request(path).get().build(), mapper.constructType(type));
  }

  public <T> T post(String path, Object body, Class<T> type) {
    return call(request(path).post(json(body)).build(), mapper.constructType(type));
  }

  public <T> T post(String path, Object body, TypeReference<T> type) {
    return call(request(path).post(json(body)).build(), mapper.constructType(type));
  }

  public <T> T patch(String path, Object body, Class<T> type) {
    return call(request(path).patch(json(body)).build(), mapper.constructType(type));
  }

  public <T> T put(String path, Object body, Class<T> type) {
    return call(request(path).put(json(body)).build(), mapper.constructType(type));
  }

  public void delete(String path) {
    call(request(path).delete().build(), null);
  }

  /** Sends raw bytes (e.g. log chunks) and returns the JSON answer. */
  public <T> T postBytes(String path, byte[] body, String contentType, Class<T> type) {
    RequestBody rb = RequestBody.create(body, MediaType.get(contentType));
    return call(request(path).post(rb).build(), mapper.constructType(type));
  }

  /**
   * Opens a streaming GET (logs, events). The caller reads and closes the stream; errors are
   * translated before any byte is returned.
   */
  public InputStream stream(String path) {
    Response response = execute(request(path).get().build());
    if (!response.isSuccessful()) {
      try (response) {
        throw errorFrom(response);
      }
    }
    return response.body().byteStream();
  }

  /**
   * Opens a WebSocket on an API path (a tunnel) with this client's credential, headers and trust.
   * It has no read timeout and pings every 20 s, so an idle tunnel stays up while the peers live; a
   * refused upgrade reaches {@code listener.onFailure} with the server's answer, which {@link
   * #refusal} turns into the usual one-sentence exception.
   */
  public WebSocket webSocket(String path, WebSocketListener listener) {
    OkHttpClient ws =
        http.newBuilder()
            .readTimeout(Duration.ZERO)
            .callTimeout(Duration.ZERO)
            .pingInterval(Duration.ofSeconds(20))
            .build();
    return ws.newWebSocket(request(path).get().build(), listener);
  }

  /**
   * The exception for a WebSocket that did not open: the server's refusal when it answered ({@code
   * response} not null), else why the connection failed.
   */
  public OceanClientException refusal(Throwable failure, Response response) {
    if (response != null) {
      try (response) {
        return errorFrom(response);
      }
    }
    return FailureSentences.socketFailure(failure, baseUrl());
  }

  /**
   * Why {@code baseUrl} is not a server's root, when it ends in the API's own path ({@code
   * http://h:8080/api}): requests would go to {@code /api/api/v1/...}, which no server has (qa7
   * K9).
   */
  public static Optional<String> notRoot(String baseUrl) {
    HttpUrl base = HttpUrl.parse(baseUrl.strip());
    String path = base == null ? "/" : base.encodedPath();
    if (!path.matches("(?i).*/api(/v[0-9]+)?/?")) {
      return Optional.empty();
    }
    String root = base.newBuilder().encodedPath("/").build().toString().replaceAll("/$", "");
    return Optional.of(
        "'" + baseUrl + "' should be the server's root, " + root + ", without " + path);
  }

  private Request.Builder request(String path) {
    String baseUrl = servers.current();
    HttpUrl url = HttpUrl.parse(baseUrl + suffix(path));
    if (url == null) {
      throw new OceanClientException(
          "the server address '" + baseUrl + "' is not a valid http(s) URL");
    }
    notRoot(baseUrl)
        .ifPresent(
            problem -> {
              throw new OceanClientException("the server address " + problem);
            });
    Request.Builder b = new Request.Builder().url(url).header("Accept", "application/json");
    if (authorization != null) {
      PlainHttpWarning.warnOnceIfPlainHttp(url);
      b.header("Authorization", authorization);
    }
    headers.forEach(b::header);
    return b;
  }

  private RequestBody json(Object body) {
    if (body == null) {
      // Routes that take no body refuse one; a null body is an empty request.
      return RequestBody.create(new byte[0], null);
    }
    try {
      return RequestBody.create(mapper.writeValueAsBytes(body), JSON);
    } catch (JsonProcessingException e) {
      throw new OceanClientException("could not encode the request: " + e.getOriginalMessage(), e);
    }
  }

  private <T> T call(Request request, JavaType type) {
    try (Response response = execute(request)) {
      if (!response.isSuccessful()) {
        throw errorFrom(response);
      }
      ResponseBody body = response.body();
      if (type == null || response.code() == 204) {
        return null;
      }
      String text = body.string();
      if (!FailureSentences.isJson(response)) {
        throw new OceanClientException(
            "the server at "
                + baseUrl()
                + " did not answer with Ocean's API; is the address right?");
      }
      return mapper.readValue(text, type);
    } catch (InterruptedIOException e) {
      throw timeout(e);
    } catch (JsonProcessingException e) {
      // getMessage() appends the source location on a second line; users get one sentence
      throw new OceanClientException(
          "the answer from the Ocean server at "
              + baseUrl()
              + " is not the JSON expected: "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new OceanClientException(
          "the answer from the Ocean server at "
              + baseUrl()
              + " could not be read: "
              + e.getMessage(),
          e);
    }
  }

  private static String suffix(String path) {
    return (path.startsWith("/api/") || path.startsWith("/metrics") ? "" : API) + path;
  }

  private Response execute(Request request) {
    return Failover.execute(http, servers, request);
  }

  private OceanClientException timeout(InterruptedIOException e) {
    return FailureSentences.timeout(e, servers.current());
  }

  private OceanClientException errorFrom(Response response) {
    return FailureSentences.errorFrom(response, servers.current(), mapper);
  }

  /** Encodes user text as one URL path segment, so it can never change the path. */
  public static String segment(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  /** Exposes the element type helper for callers that build generic types. */
  public JavaType type(Type type) {
    return mapper.constructType(type);
  }
}
