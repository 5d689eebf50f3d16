package dev.ocean.server.http;

/**
 * A failure a client caused or must know about; the error mapper turns it into problem+json. The
 * message is the problem's {@code detail}: one sentence a user can act on.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String title;
  private final String field;

  public ApiException(int status, String title, String detail, String field) {
    super(detail);
    this.status = status;
    this.title = title;
    this.field = field;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String field() {
    return field;
  }

  public static ApiException badRequest(String field, String detail) {
    return new ApiException(400, "Invalid request", detail, field);
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(401, "Not logged in", detail, null);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "Forbidden", detail, null);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "Not found", detail, null);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "Conflict", detail, null);
  }

  public static ApiException quotaExceeded(String detail) {
    return new ApiException(409, "Quota exceeded", detail, "machineType");
  }

  public static ApiException tooManyRequests(String detail) {
    return new ApiException(429, "Too many requests", detail, null);
  }
}
