package dev.ocean.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a malformed request line, a NUL in a header, a duplicate
 * Content-Length, an ambiguous path) as {@code application/problem+json}, the shape every other
 * Ocean error has, instead of Jetty's HTML page: {@link #server()} for the connector level, {@link
 * #servlet()} for the servlet context.
 */
public final class JettyProblems {
  private static final String PROBLEM_JSON = "application/problem+json";
  private final ObjectMapper mapper;

  public JettyProblems(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public org.eclipse.jetty.server.handler.ErrorHandler server() {
    return new ServerLevel();
  }

  public org.eclipse.jetty.ee10.servlet.ErrorHandler servlet() {
    return new ServletLevel();
  }

  private final class ServerLevel extends org.eclipse.jetty.server.handler.ErrorHandler {
    ServerLevel() {
      setShowStacks(false);
      setShowCauses(false);
    }

    /** Jetty writes a page only for GET, POST and HEAD; any refused request deserves one. */
    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected boolean generateAcceptableResponse(
        Request request,
        Response response,
        Callback callback,
        String contentType,
        List<Charset> charsets,
        int code,
        String message,
        Throwable cause) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
      // Jetty ends the connection after a request it could not take in; say so, so a client
      // does not send its next request down a closing connection.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      response.write(true, ByteBuffer.wrap(body(code, message)), callback);
      return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(new HttpField(HttpHeader.CONTENT_TYPE, PROBLEM_JSON));
      fields.put(new HttpField(HttpHeader.CONNECTION, "close"));
      return ByteBuffer.wrap(body(status, reason));
    }
  }

  private final class ServletLevel extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
    ServletLevel() {
      setShowStacks(false);
      setShowCauses(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected boolean generateAcceptableResponse(
        Request request,
        Response response,
        Callback callback,
        String contentType,
        List<Charset> charsets,
        int code,
        String message,
        Throwable cause) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
      response.write(true, ByteBuffer.wrap(body(code, message)), callback);
      // As Jetty's servlet error handler does after writing its page: end the servlet exchange.
      ServletContextRequest servlet = Request.as(request, ServletContextRequest.class);
      if (servlet != null) {
        servlet.getServletChannel().sendErrorResponseAndComplete();
      }
      return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(new HttpField(HttpHeader.CONTENT_TYPE, PROBLEM_JSON));
      return ByteBuffer.wrap(body(status, reason));
    }
  }

  private byte[] body(int status, String message) {
    String title = HttpStatus.getMessage(status);
    String detail =
        "the request was refused before it reached Ocean: "
            + (message == null || message.isBlank() ? title : message);
    try {
      return mapper.writeValueAsBytes(
          new Problem("about:blank", title, status, ErrorMapper.shorten(detail), null));
    } catch (Exception e) {
      return ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
    }
  }
}
