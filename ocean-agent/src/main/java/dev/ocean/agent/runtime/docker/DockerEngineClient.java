package dev.ocean.agent.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.newsclub.net.unix.AFSocketFactory;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Speaks the few calls of the Docker Engine API that {@link DockerRuntime} needs, over a Unix
 * socket; works with Docker and with Podman's compatible service ({@code podman system service}).
 * Closing it aborts calls in flight (log streams, waits) but leaves containers alone.
 */
public final class DockerEngineClient implements AutoCloseable {

  /** API version spoken; 1.41 has device requests and is served by Docker 20.10+ and Podman 3+. */
  static final String API_VERSION = "v1.41";

  private static final MediaType JSON = MediaType.get("application/json");
  private static final RequestBody EMPTY = RequestBody.create(new byte[0], JSON);

  private final OkHttpClient http;
  private final OkHttpClient streaming;
  private final ObjectMapper json = new ObjectMapper();
  private final Set<Call> streams = ConcurrentHashMap.newKeySet();
  private final HttpUrl base = HttpUrl.get("http://localhost/" + API_VERSION + "/");

  private final String endpoint;

  private DockerEngineClient(OkHttpClient http, String endpoint) {
    this.http = http;
    this.endpoint = endpoint;
    this.streaming = http.newBuilder().readTimeout(Duration.ZERO).build();
  }

  /** A client for the engine listening on the Unix socket {@code socket}. */
  public static DockerEngineClient unixSocket(Path socket) {
    try {
      AFUNIXSocketAddress address = AFUNIXSocketAddress.of(socket);
      return new DockerEngineClient(
          new OkHttpClient.Builder()
              .socketFactory(new AFSocketFactory.FixedAddressSocketFactory(address))
              .connectTimeout(Duration.ofSeconds(10))
              .readTimeout(Duration.ofSeconds(60))
              .retryOnConnectionFailure(false)
              .build(),
          "unix://" + socket);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a usable Unix socket path: " + socket, e);
    }
  }

  /** A client for a {@code DOCKER_HOST}-style URI; only {@code unix://PATH} is supported. */
  public static DockerEngineClient forHost(String dockerHost) {
    URI uri = URI.create(dockerHost);
    if (!"unix".equals(uri.getScheme())) {
      throw new IllegalArgumentException("only unix:// Docker hosts are supported: " + dockerHost);
    }
    return unixSocket(Path.of(uri.getPath()));
  }

  /** The engine's {@code /info} document (runtimes, version, …). */
  JsonNode info() throws IOException {
    return send("GET", url("info"), null);
  }

  /** The engine's {@code /version} document (Podman names itself among its components). */
  JsonNode version() throws IOException {
    return send("GET", url("version"), null);
  }

  /** Where this client connects, e.g. {@code unix:///var/run/docker.sock}. */
  public String endpoint() {
    return endpoint;
  }

  /** Checks that the engine answers. */
  public void ping() throws IOException {
    Request request = new Request.Builder().url(HttpUrl.get("http://localhost/_ping")).build();
    try (Response response = http.newCall(request).execute()) {
      check(response);
    }
  }

  boolean imageExists(String reference) throws IOException {
    return find("GET", url("images").addPathSegments(reference).addPathSegment("json")).isPresent();
  }

  /** Pulls an image; the engine reports pull errors inside a 200 progress stream, read here. */
  void pullImage(String reference) throws IOException {
    HttpUrl.Builder url = url("images/create");
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    if (reference.contains("@") || colon < slash) {
      url.addQueryParameter("fromImage", reference);
      url.addQueryParameter("tag", reference.contains("@") ? "" : "latest");
    } else {
      url.addQueryParameter("fromImage", reference.substring(0, colon));
      url.addQueryParameter("tag", reference.substring(colon + 1));
    }
    Request request = new Request.Builder().url(url.build()).post(EMPTY).build();
    try (Response response = streaming.newCall(request).execute()) {
      check(response);
      var messages = json.readerFor(JsonNode.class).readValues(response.body().byteStream());
      while (messages.hasNext()) {
        JsonNode message = (JsonNode) messages.next();
        if (message.hasNonNull("error")) {
          throw new DockerApiException(500, message.get("error").asText());
        }
      }
    }
  }

  String createContainer(String name, JsonNode body) throws IOException {
    HttpUrl.Builder url = url("containers/create").addQueryParameter("name", name);
    return send("POST", url, body).get("Id").asText();
  }

  void startContainer(String id) throws IOException {
    send("POST", container(id).addPathSegment("start"), null);
  }

  /**
   * A request for the container's stdout and stderr, multiplexed, from the first byte, following
   * until the run ends when {@code follow}. It is not sent yet; another thread may abandon it
   * ({@link LogsRequest#cancel}) while it waits for the answer or reads it. Without {@code follow}
   * it reads what the container wrote so far and gives up when the engine is silent for the usual
   * read timeout; a following one waits as long as the container runs, however quiet.
   */
  LogsRequest logsRequest(String id, boolean follow) {
    HttpUrl url =
        container(id)
            .addPathSegment("logs")
            .addQueryParameter("stdout", "1")
            .addQueryParameter("stderr", "1")
            .addQueryParameter("follow", follow ? "1" : "0")
            .build();
    OkHttpClient client = follow ? streaming : http;
    return new LogsRequest(client.newCall(new Request.Builder().url(url).build()));
  }

  /** One logs request; see {@link #logsRequest}. */
  final class LogsRequest {
    private final Call call;

    private LogsRequest(Call call) {
      this.call = call;
    }

    /** Sends the request and returns the multiplexed stream once the answer's headers came. */
    InputStream open() throws IOException {
      streams.add(call);
      try {
        Response response = call.execute();
        try {
          check(response);
          return new FilterInputStream(response.body().byteStream()) {
            @Override
            public void close() throws IOException {
              streams.remove(call);
              response.close();
            }
          };
        } catch (IOException | RuntimeException e) {
          response.close();
          throw e;
        }
      } catch (IOException | RuntimeException e) {
        streams.remove(call);
        throw e;
      }
    }

    /**
     * Abandons the request: a thread in {@link #open} or reading its stream gets an IOException.
     */
    void cancel() {
      call.cancel();
    }
  }

  /** Blocks until the container is not running and returns its exit code. */
  int waitForExit(String id) throws IOException {
    Request request =
        new Request.Builder().url(container(id).addPathSegment("wait").build()).post(EMPTY).build();
    Call call = streaming.newCall(request);
    streams.add(call);
    try (Response response = call.execute()) {
      check(response);
      return json.readTree(response.body().byteStream()).get("StatusCode").asInt();
    } finally {
      streams.remove(call);
    }
  }

  /** Sends SIGTERM, then SIGKILL after {@code grace}; returns once the container stopped. */
  void stopContainer(String id, Duration grace) throws IOException {
    long seconds = Math.max(0, (grace.toMillis() + 999) / 1000);
    HttpUrl url =
        container(id).addPathSegment("stop").addQueryParameter("t", Long.toString(seconds)).build();
    OkHttpClient patient = http.newBuilder().readTimeout(grace.plusSeconds(60)).build();
    try (Response response =
        patient.newCall(new Request.Builder().url(url).post(EMPTY).build()).execute()) {
      if (response.code() != 304 && response.code() != 404) { // 304: already stopped
        check(response);
      }
    }
  }

  void removeContainer(String id) throws IOException {
    HttpUrl.Builder url = container(id).addQueryParameter("force", "1").addQueryParameter("v", "1");
    find("DELETE", url); // already gone is fine
  }

  /** A tar of {@code path} in the container, or null when the path or container is missing. */
  InputStream archive(String id, String path) throws IOException {
    HttpUrl url = container(id).addPathSegment("archive").addQueryParameter("path", path).build();
    Response response = http.newCall(new Request.Builder().url(url).build()).execute();
    if (response.code() == 404) {
      response.close();
      return null;
    }
    try {
      check(response);
    } catch (IOException e) {
      response.close();
      throw e;
    }
    return response.body().byteStream(); // closing it closes the response
  }

  /** Containers, running or not, that carry the label {@code key=value}. */
  List<JsonNode> listContainers(String key, String value) throws IOException {
    String filters = json.writeValueAsString(Map.of("label", List.of(key + "=" + value)));
    HttpUrl.Builder url =
        url("containers/json").addQueryParameter("all", "1").addQueryParameter("filters", filters);
    List<JsonNode> containers = new ArrayList<>();
    send("GET", url, null).forEach(containers::add);
    return containers;
  }

  /** One sample of the container's resource use (no stream), or empty when there is none. */
  Optional<JsonNode> stats(String id) throws IOException {
    return find(
        "GET",
        container(id)
            .addPathSegment("stats")
            .addQueryParameter("stream", "false")
            .addQueryParameter("one-shot", "true"));
  }

  /** The container's inspect document, or empty when there is no such container. */
  Optional<JsonNode> inspect(String id) throws IOException {
    return find("GET", container(id).addPathSegment("json"));
  }

  ObjectMapper json() {
    return json;
  }

  @Override
  public void close() {
    streams.forEach(Call::cancel); // a call whose body is being read is no longer the dispatcher's
    http.dispatcher().cancelAll();
    streaming.dispatcher().cancelAll();
    http.connectionPool().evictAll();
    streaming.connectionPool().evictAll();
  }

  /** Sends a call and returns its JSON answer ({@code null} node for an empty body). */
  private JsonNode send(String method, HttpUrl.Builder url, JsonNode body) throws IOException {
    RequestBody requestBody =
        body == null
            ? (method.equals("POST") ? EMPTY : null)
            : RequestBody.create(json.writeValueAsBytes(body), JSON);
    Request request = new Request.Builder().url(url.build()).method(method, requestBody).build();
    try (Response response = http.newCall(request).execute()) {
      check(response);
      byte[] bytes = response.body().bytes();
      return bytes.length == 0 ? NullNode.getInstance() : json.readTree(bytes);
    }
  }

  /** Like {@link #send} without a body, but a 404 answer gives empty instead of an exception. */
  private Optional<JsonNode> find(String method, HttpUrl.Builder url) throws IOException {
    try {
      return Optional.of(send(method, url, null));
    } catch (DockerApiException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private void check(Response response) throws IOException {
    if (response.isSuccessful()) {
      return;
    }
    String text = response.body().string();
    String message = text;
    try {
      JsonNode node = json.readTree(text);
      if (node != null && node.hasNonNull("message")) {
        message = node.get("message").asText();
      }
    } catch (IOException notJson) {
      // keep the raw text
    }
    throw new DockerApiException(response.code(), message.strip());
  }

  private HttpUrl.Builder url(String path) {
    return base.newBuilder().addPathSegments(path);
  }

  private HttpUrl.Builder container(String id) {
    return url("containers").addPathSegment(id);
  }
}
