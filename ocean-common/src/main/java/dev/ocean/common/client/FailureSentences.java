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
final class FailureSentences {
  private FailureSentences() {}

  /** Why a request to {@code baseUrl} got no answer at all. */
  static OceanClientException unanswered(IOException e, Request request, String baseUrl) {
    if (e instanceof ConnectException) {
      return refused(e, baseUrl);
    }
    if (e instanceof UnknownHostException) {
      return new OceanClientException(
          "cannot find the Ocean server host '" + request.url().host() + "'", e);
    }
    if (e instanceof InterruptedIOException i) {
      return timeout(i, baseUrl);
    }
    if (e instanceof SSLException s) {
      return tlsFailure(s, baseUrl);
    }
    if (baseUrl.startsWith("http:")
        && String.valueOf(e.getMessage()).startsWith("unexpected end of stream")) {
      return new OceanClientException(
          "the server at "
              + baseUrl
              + " closed the connection without answering; does it serve https:// instead?",
          e);
    }
    return new OceanClientException(
        "cannot reach the Ocean server at " + baseUrl + ": " + e.getMessage(), e);
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

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  static OceanClientException timeout(InterruptedIOException e, String baseUrl) {
    return new OceanClientException(
        "the Ocean server at " + baseUrl + " did not answer in time", e);
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
    if (isJson(response)) {
      try {
        Problem p = mapper.readValue(text, Problem.class);
        if (p.title() != null || p.detail() != null) {
          return new OceanApiException(
              new Problem(p.type(), p.title(), response.code(), p.detail(), p.field()),
              retryAfter(response.header("Retry-After")));
        }
      } catch (IOException ignored) {
        // not a problem document: fall through to the generic sentence
      }
    }
    String location = response.header("Location", "");
    if (response.isRedirect() && location.regionMatches(true, 0, "https://", 0, 8)) {
      return new OceanApiException(
          new Problem(
              null,
              "HTTP " + response.code(),
              response.code(),
              "the server at "
                  + baseUrl
                  + " redirects to "
                  + location
                  + "; use its https:// address",
              null));
    }
    String reason = response.message().isBlank() ? "" : " " + response.message();
    String detail =
        response.code() >= 500
            ? "the Ocean server at " + baseUrl + " failed with HTTP " + response.code() + reason
            : "the server at "
                + baseUrl
                + " answered HTTP "
                + response.code()
                + reason
                + " with a page that is not Ocean's API; is the address right?";
    return new OceanApiException(
        new Problem(null, "HTTP " + response.code(), response.code(), detail, null));
  }

  static boolean isJson(Response response) {
    String ct = response.header("Content-Type", "");
    return ct.contains("json");
  }
}
