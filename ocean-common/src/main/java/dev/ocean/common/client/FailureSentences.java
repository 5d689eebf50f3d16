package dev.ocean.common.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.Problem;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Turns what went wrong on the wire (a refused connection, a TLS handshake, a timeout, a non-API
 * answer, a problem document) into one {@link OceanClientException} with one sentence for a user.
 */
public final class FailureSentences {
  private FailureSentences() {}

  /** Why a request to {@code baseUrl} got no answer at all. */
  static OceanClientException unanswered(IOException e, Request request, String baseUrl) {
    return unanswered(e, request.url().host(), baseUrl);
  }

  /**
   * Why a request to {@code host} (of {@code baseUrl}) got no answer at all; for clients other than
   * {@link OceanClient} (the agent's), so every Ocean program says it the same way.
   */
  public static OceanClientException unanswered(IOException e, String host, String baseUrl) {
    if (e instanceof ConnectException) {
      return refused(e, baseUrl);
    }
    if (e instanceof UnknownHostException) {
      return new OceanClientException("cannot find the Ocean server host '" + host + "'", e);
    }
    if (e instanceof InterruptedIOException i) {
      return timeout(i, baseUrl);
    }
    if (e instanceof SSLException s) {
      return tlsFailure(s, baseUrl);
    }
    // OkHttp says "unexpected end of stream", the JDK's HttpURLConnection (the agent's) "Unexpected
    // end of file from server"
    String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (baseUrl.startsWith("http:")
        && (m.startsWith("unexpected end of stream") || m.startsWith("unexpected end of file"))) {
      return new OceanClientException(
          "the server at "
              + baseUrl
              + " closed the connection without answering; does it serve https:// instead?",
          e);
    }
    return new OceanClientException(
        "cannot reach the Ocean server at " + baseUrl + ": " + e.getMessage(), e);
  }

  /**
   * The error when no server of several could be reached: it names every address tried, not only
   * the last (qa8 Q4), with the last failure's reason.
   */
  public static OceanClientException noneAnswered(
      java.util.List<String> servers, OceanClientException last) {
    Throwable cause = last.getCause();
    String reason =
        cause instanceof ConnectException
            ? "connection refused; is it running?"
            : "the last: " + last.getMessage();
    return new OceanClientException(
        "cannot connect to any Ocean server (" + String.join(", ", servers) + "): " + reason,
        cause);
  }

  /** Why a WebSocket to {@code baseUrl} did not open when the server did not answer. */
  static OceanClientException socketFailure(Throwable failure, String baseUrl) {
    if (failure instanceof ConnectException) {
      return refused(failure, baseUrl);
    }
    if (failure instanceof SSLException e) {
      return tlsFailure(e, baseUrl);
    }
    if (failure instanceof InterruptedIOException e) {
      return timeout(e, baseUrl);
    }
    return new OceanClientException(
        "cannot reach the Ocean server at " + baseUrl + ": " + failure.getMessage(), failure);
  }

  private static OceanClientException refused(Throwable e, String baseUrl) {
    return new OceanClientException(
        "cannot connect to the Ocean server at "
            + baseUrl
            + " (connection refused); is it running?",
        e);
  }

  /** One sentence for a failed TLS handshake, naming the cure where there is one. */
  static OceanClientException tlsFailure(SSLException e, String baseUrl) {
    if (e instanceof SSLPeerUnverifiedException) {
      return new OceanClientException(
          "the server's certificate at "
              + baseUrl
              + " does not name the host in that address; use the name or IP the certificate was made"
              + " for",
          e);
    }
    java.security.cert.CertificateExpiredException expired =
        cause(e, java.security.cert.CertificateExpiredException.class);
    if (expired != null || causedBy(e, java.security.cert.CertificateNotYetValidException.class)) {
      // passing the CA again does not help: the server's admin must renew the certificate
      return new OceanClientException(
          "the server's certificate at "
              + baseUrl
              + (expired != null ? " has expired" : " is not valid yet")
              + (validity(expired).isEmpty() ? "" : " (" + validity(expired) + ")")
              + "; the server needs a renewed certificate (or check this machine's clock)",
          e);
    }
    if (causedBy(e, CertificateException.class)) {
      return new OceanClientException(
          "the server's certificate at "
              + baseUrl
              + " is not trusted; pass --ca-cert FILE (or set OCEAN_CA_CERT) with that certificate or"
              + " the CA that signed it",
          e);
    }
    if (String.valueOf(e.getMessage()).contains("Unsupported or unrecognized SSL message")) {
      return new OceanClientException(
          "the server at " + baseUrl + " does not speak TLS; is it http:// rather than https://?",
          e);
    }
    return new OceanClientException(
        "cannot make a secure connection to the Ocean server at " + baseUrl + ": " + e.getMessage(),
        e);
  }

  /** The JDK says "NotAfter: Thu Jan 02 00:00:00 UTC 2020"; empty when it says nothing. */
  private static String validity(Throwable expired) {
    String m = expired == null ? null : expired.getMessage();
    return m == null || !m.startsWith("NotAfter: ")
        ? ""
        : "valid until " + m.substring("NotAfter: ".length());
  }

  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    return cause(e, type) != null;
  }

  /** One sentence for a server that did not answer in time. */
  public static OceanClientException timeout(InterruptedIOException e, String baseUrl) {
    return new OceanClientException(
        "the Ocean server at " + baseUrl + " did not answer in time", e);
  }

  /**
   * The error for a request that is not safe to repeat (not a GET) when the server at {@code
   * baseUrl} took it and did not answer in time: it is not sent to the next server, as this one may
   * have carried it out.
   */
  public static OceanClientException notResent(OceanClientException timedOut, String baseUrl) {
    return new OceanClientException(
        "the Ocean server at "
            + baseUrl
            + " did not answer in time and may have carried the request out, so it was not sent to"
            + " another server; check before repeating it",
        timedOut.getCause());
  }

  /** A {@code Retry-After} in seconds (the delay form; a date or nothing: 0). */
  static long retryAfter(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The exception for an unsuccessful answer: its problem document, or a sentence about it. */
  static OceanClientException errorFrom(Response response, String baseUrl, ObjectMapper mapper) {
    String text;
    try {
      text = response.body().string();
    } catch (IOException e) {
      text = "";
    }
    return errorFrom(
        response.code(),
        response.message(),
        response.header("Content-Type", ""),
        response.isRedirect() ? response.header("Location", "") : "",
        response.header("Retry-After"),
        text,
        baseUrl,
        t -> mapper.readValue(t, Problem.class));
  }

  /** Reads a problem document, for clients without Jackson's databind (the agent's). */
  public interface ProblemReader {
    Problem read(String text) throws IOException;
  }

  /**
   * The exception for an unsuccessful answer with status {@code code}, reason phrase {@code
   * message}, the given {@code Content-Type}, {@code location} (a redirect's target, else empty),
   * {@code retryAfter} (the {@code Retry-After} header, or null) and {@code text} as its body: its
   * problem document, or a sentence about it.
   */
  public static OceanClientException errorFrom(
      int code,
      String message,
      String contentType,
      String location,
      String retryAfter,
      String text,
      String baseUrl,
      ProblemReader problems) {
    if (contentType != null && contentType.contains("json")) {
      try {
        Problem p = problems.read(text);
        if (p.title() != null || p.detail() != null) {
          return new OceanApiException(
              new Problem(p.type(), p.title(), code, p.detail(), p.field()),
              retryAfter(retryAfter));
        }
      } catch (IOException ignored) {
        // not a problem document: fall through to the generic sentence
      }
    }
    if (location != null && location.regionMatches(true, 0, "https://", 0, 8)) {
      return new OceanApiException(
          new Problem(
              null,
              "HTTP " + code,
              code,
              "the server at "
                  + baseUrl
                  + " redirects to "
                  + location
                  + "; use its https:// address",
              null));
    }
    String reason = message == null || message.isBlank() ? "" : " " + message;
    String detail =
        code >= 500
            ? "the Ocean server at " + baseUrl + " failed with HTTP " + code + reason
            : "the server at "
                + baseUrl
                + " answered HTTP "
                + code
                + reason
                + " with a page that is not Ocean's API; is the address right?";
    return new OceanApiException(new Problem(null, "HTTP " + code, code, detail, null));
  }

  static boolean isJson(Response response) {
    String ct = response.header("Content-Type", "");
    return ct.contains("json");
  }
}
