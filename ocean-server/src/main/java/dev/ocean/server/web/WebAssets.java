package dev.ocean.server.web;

import dev.ocean.server.error.NotFound;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web UI from the jar: {@code /} is the page, {@code /assets/...} its ES modules and
 * styles, {@code /assets/vendor/uplot/...} the chart library from its WebJar. Every answer has an
 * ETag (a browser revalidates and gets 304), the versioned vendor files are cached as immutable.
 */
public final class WebAssets {
  private static final String ROOT = "web/";
  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]+(?:[./][A-Za-z0-9_-]+)*");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "json", "application/json",
          "png", "image/png",
          "ico", "image/x-icon");

  private record Asset(byte[] bytes, String type, String etag, boolean immutable) {}

  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  /** {@code GET /}: the single page; its routes live after the {@code #}. */
  public void index(Context ctx) {
    send(ctx, load("index.html", ROOT + "index.html", false).orElseThrow());
  }

  /** {@code GET /assets/<path>}. */
  public void asset(Context ctx) {
    String path = ctx.pathParam("path");
    if (!SAFE.matcher(path).matches()) {
      throw new NotFound("no such file in the web UI: " + path);
    }
    Optional<Asset> asset =
        path.startsWith("vendor/uplot/")
            ? load(path, UPLOT + path.substring("vendor/uplot/".length()), true)
            : load(path, ROOT + path, false);
    send(ctx, asset.orElseThrow(() -> new NotFound("no such file in the web UI: " + path)));
  }

  /**
   * The asset, cached once found; a miss is not remembered, or anyone could grow the cache without
   * bound by asking for names that do not exist.
   */
  private Optional<Asset> load(String key, String resource, boolean immutable) {
    Optional<Asset> known = cache.get(key);
    if (known != null) {
      return known;
    }
    Optional<Asset> found = read(resource, immutable);
    found.ifPresent(a -> cache.putIfAbsent(key, Optional.of(a)));
    return found;
  }

  private static Optional<Asset> read(String resource, boolean immutable) {
    String ext = resource.substring(resource.lastIndexOf('.') + 1);
    String type = TYPES.get(ext);
    if (type == null) {
      return Optional.empty();
    }
    try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      return Optional.of(new Asset(bytes, type, etag(bytes), immutable));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(Context ctx, Asset a) {
    ctx.header("ETag", a.etag());
    ctx.header("Cache-Control", a.immutable() ? "public, max-age=31536000, immutable" : "no-cache");
    ctx.contentType(a.type());
    String match = ctx.header("If-None-Match");
    if (match != null && match.contains(a.etag())) {
      ctx.status(304);
      return;
    }
    ctx.result(a.bytes());
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
