package dev.ocean.server.job;

import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Conditional GETs of job views ({@code GET /jobs}, {@code GET /jobs/{id}}): the answer carries a
 * strong ETag computed over its exact bytes and the request's path and query, so the tag changes
 * whenever anything in the answer does (a run's state, a queue position, the filter's matches),
 * never stays the same while the body changed, and differs between filters even where their answers
 * are alike. A poller that sends it back in {@code If-None-Match} gets 304 with no body while
 * nothing changed. {@code Cache-Control: private, no-cache}: only the caller's own cache keeps it,
 * and it asks again every time.
 */
final class Revalidation {
  private Revalidation() {}

  /**
   * Answers the JSON in {@code json} (UTF-8) or 304 when the caller already holds exactly these
   * bytes; the buffer is written out as it is, not copied first.
   */
  static void answer(Context ctx, Buffer json) throws IOException {
    String query = ctx.queryString();
    String tag = etag(ctx.path() + (query == null ? "" : "?" + query), json.bytes(), json.size());
    ctx.header("ETag", tag);
    ctx.header("Cache-Control", "private, no-cache");
    if (matches(ctx.header("If-None-Match"), tag)) {
      ctx.status(304);
      return;
    }
    ctx.contentType(ContentType.APPLICATION_JSON);
    ctx.outputStream().write(json.bytes(), 0, json.size());
  }

  /** An answer's bytes as they were written, readable without a copy. */
  static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    byte[] bytes() {
      return buf;
    }
  }

  /**
   * Whether an {@code If-None-Match} header names {@code tag}: a list of tags, weak ones compared
   * by their opaque part as RFC 9110 says for GET, or {@code *}.
   */
  static boolean matches(String header, String tag) {
    if (header == null) {
      return false;
    }
    for (String part : header.split(",")) {
      String t = part.trim();
      if (t.equals("*")) {
        return true;
      }
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals(tag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A quoted hex prefix (128 bits) of the SHA-256 of the request and the body: no two different
   * answers share one in practice.
   */
  static String etag(String request, byte[] body, int length) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      sha.update(body, 0, length);
      byte[] d = sha.digest();
      return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
