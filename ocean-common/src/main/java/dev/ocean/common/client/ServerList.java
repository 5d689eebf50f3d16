package dev.ocean.common.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The addresses of the servers of one cluster ({@code http://a:8080,http://b:8080}) and the one in
 * use. A client stays with the server that answers and moves to the next only when that one fails
 * (no connection, HTTP 5xx, or, for a request safe to repeat, no answer in time), so every client
 * of a cluster settles on a live server. Clients derived from one another share the list, so they
 * move together.
 */
public final class ServerList {
  private final List<String> urls;
  private final AtomicInteger current = new AtomicInteger();

  private ServerList(List<String> urls) {
    this.urls = List.copyOf(urls);
  }

  /** Parses one address or several separated by commas; blanks and trailing slashes dropped. */
  public static ServerList parse(String spec) {
    List<String> urls = new ArrayList<>();
    for (String part : (spec == null ? "" : spec).split(",")) {
      String u = stripSlash(part);
      if (!u.isEmpty()) {
        urls.add(u);
      }
    }
    if (urls.isEmpty()) {
      urls.add("");
    }
    return new ServerList(urls);
  }

  /** The server requests go to now. */
  public String current() {
    return urls.get(current.get());
  }

  public int size() {
    return urls.size();
  }

  public List<String> all() {
    return urls;
  }

  /**
   * Moves on from {@code failed} to the next server, unless another request already moved on;
   * returns the server to try now.
   */
  public String advanceFrom(String failed) {
    int i = urls.indexOf(failed);
    if (i >= 0) {
      current.compareAndSet(i, (i + 1) % urls.size());
    }
    return current();
  }

  /** Whether a failure to get an answer says the server is gone rather than slow or misnamed. */
  public static boolean gone(Throwable e) {
    if (e instanceof SSLException) {
      return false;
    }
    if (e instanceof InterruptedIOException) {
      // the JDK says "Connect timed out": the request never reached the server
      return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connect");
    }
    return e instanceof IOException;
  }

  /**
   * Whether the server took the connection but gave no answer in time (a frozen process, a listener
   * that never replies). Such a server may have carried the request out, so only a request safe to
   * repeat is sent to the next server.
   */
  public static boolean timedOut(Throwable e) {
    return e instanceof SocketTimeoutException
        || e instanceof InterruptedIOException
            && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("timeout");
  }

  /** {@code request}, sent to {@code failed}, addressed to the next server instead. */
  Request moveOn(Request request, String failed) {
    HttpUrl sent = request.url();
    HttpUrl failedBase = HttpUrl.parse(failed);
    String prefix = failedBase == null ? "" : failedBase.encodedPath().replaceAll("/$", "");
    String path =
        sent.encodedPath().substring(Math.min(prefix.length(), sent.encodedPath().length()));
    String query = sent.encodedQuery() == null ? "" : "?" + sent.encodedQuery();
    String next = advanceFrom(failed);
    HttpUrl url = HttpUrl.parse(next + path + query);
    if (url == null) {
      throw new OceanClientException(
          "the server address '" + next + "' is not a valid http(s) URL");
    }
    return request.newBuilder().url(url).build();
  }

  /** Whether every address is plain HTTP (a client for them never needs TLS). */
  public boolean allPlainHttp() {
    return urls.stream().allMatch(u -> u.regionMatches(true, 0, "http://", 0, 7));
  }

  static String stripSlash(String url) {
    String u = url == null ? "" : url.trim();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }
}
