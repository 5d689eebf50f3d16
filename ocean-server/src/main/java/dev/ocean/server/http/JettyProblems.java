package dev.ocean.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
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
 * Ocean error has, instead of Jetty's HTML page. Installed on the server and the servlet context.
 */
public final class JettyProblems extends ErrorHandler {
  private static final String PROBLEM_JSON = "application/problem+json";
  private final ObjectMapper mapper;

  public JettyProblems(ObjectMapper mapper) {
    this.mapper = mapper;
    setShowStacks(false);
    setShowCauses(false);
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
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, PROBLEM_JSON));
    return ByteBuffer.wrap(body(status, reason));
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
      return ("{\"status\":" + status + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
