package dev.ocean.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.Problem;
import dev.ocean.common.validation.Rules;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.DomainException;
import dev.ocean.server.error.Failed;
import dev.ocean.server.error.Forbidden;
import dev.ocean.server.error.Gone;
import dev.ocean.server.error.InsufficientStorage;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.error.QuotaExceeded;
import dev.ocean.server.error.TooLarge;
import dev.ocean.server.error.TooManyAttempts;
import dev.ocean.server.error.Unauthorized;
import dev.ocean.server.error.Unavailable;
import dev.ocean.server.error.UpgradeRequired;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.validation.ValidationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns exceptions into {@code application/problem+json} answers. */
public final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
  private static final Pattern QUOTED =
      Pattern.compile("(?<!\\w)'([^']{" + (Rules.QUOTE_MAX + 1) + ",})'(?!\\w)");
  private static final int DETAIL_MAX = 300;
  private final ObjectMapper mapper;

  public ErrorMapper(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public void register(RoutesConfig routes) {
    routes.exception(
        ApiException.class,
        (e, ctx) -> write(ctx, e.status(), e.title(), e.getMessage(), e.field()));
    routes.exception(
        DomainException.class,
        (e, ctx) -> {
          int status = status(e);
          if (e instanceof TooManyAttempts t) {
            ctx.header("Retry-After", String.valueOf(t.retryAfterSeconds()));
          }
          if (e instanceof Unavailable u && u.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", String.valueOf(u.retryAfterSeconds()));
          }
          write(ctx, status, title(e, status), e.getMessage(), e.field());
        });
    routes.exception(
        ValidationException.class,
        (e, ctx) -> {
          // Javalin's own validators (queryParamAsClass …) answer in the same problem shape.
          String field = e.getErrors().keySet().stream().findFirst().orElse(null);
          write(
              ctx,
              400,
              "Invalid request",
              field == null ? "the request is not valid" : field + " is not valid",
              field);
        });
    routes.exception(
        HttpResponseException.class,
        (e, ctx) -> write(ctx, e.getStatus(), reason(e.getStatus()), describe(e), null));
    routes.exception(
        Exception.class,
        (e, ctx) -> {
          if (DatabaseDown.in(e)) {
            DatabaseDown.log(LOG, e);
            ctx.header("Retry-After", String.valueOf(DatabaseDown.RETRY_SECONDS));
            write(ctx, 503, "Service unavailable", DatabaseDown.SENTENCE, null);
            return;
          }
          LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
          write(ctx, 500, "Internal error", "the server failed; the error is in its log", null);
        });
    routes.error(
        404,
        "*",
        ctx -> {
          if (!answered(ctx)) {
            write(
                ctx,
                404,
                "Not found",
                "no such endpoint: " + Rules.quote(ctx.method().name() + " " + ctx.path()),
                null);
          }
        });
    routes.error(
        405,
        "*",
        ctx -> {
          if (!answered(ctx)) {
            write(
                ctx,
                405,
                "Method not allowed",
                Rules.quote(ctx.method().name()) + " is not allowed on " + Rules.quote(ctx.path()),
                null);
          }
        });
  }

  /**
   * Answers a refused WebSocket upgrade with the problem the routes would answer: Javalin maps an
   * exception thrown before an upgrade but never writes that answer's body, so it is written to the
   * response here (the caller then rethrows, which stops the upgrade).
   */
  public void refuseUpgrade(Context ctx, Exception e) throws java.io.IOException {
    int status;
    Problem p;
    if (e instanceof ApiException a) {
      status = a.status();
      p = new Problem("about:blank", a.title(), status, shorten(a.getMessage()), a.field());
    } else if (e instanceof DomainException d) {
      status = status(d);
      if (d instanceof TooManyAttempts t) {
        ctx.res().setHeader("Retry-After", String.valueOf(t.retryAfterSeconds()));
      }
      p = new Problem("about:blank", title(d, status), status, shorten(d.getMessage()), d.field());
    } else {
      LOG.error("unhandled error before the upgrade of {}", ctx.path(), e);
      status = 500;
      p = new Problem("about:blank", "Internal error", 500, "the server failed", null);
    }
    ctx.res().setStatus(status);
    ctx.res().setContentType("application/problem+json");
    ctx.res().getOutputStream().write(mapper.writeValueAsBytes(p));
    ctx.res().flushBuffer();
  }

  /** The HTTP status of each kind of domain failure; the one place that decides it. */
  public static int status(DomainException e) {
    return switch (e) {
      case Invalid i -> 400;
      case Unauthorized u -> 401;
      case Forbidden f -> 403;
      case NotFound n -> 404;
      case Conflict c -> 409;
      case Gone g -> 410;
      case QuotaExceeded q -> 409;
      case TooLarge t -> 413;
      case UpgradeRequired u -> 426;
      case TooManyAttempts t -> 429;
      case Failed f -> 500;
      case Unavailable u -> 503;
      case InsufficientStorage i -> 507;
    };
  }

  private static String title(DomainException e, int status) {
    if (e.title() != null) {
      return e.title();
    }
    return e instanceof QuotaExceeded ? "Quota exceeded" : reason(status);
  }

  private static String shortField(String field) {
    return field == null || field.length() <= 100 ? field : field.substring(0, 100) + "…";
  }

  /** Whether a handler already wrote a problem (ctx.contentType() is the request's, not ours). */
  private static boolean answered(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith("application/problem+json");
  }

  private static String describe(HttpResponseException e) {
    if (e.getStatus() == 413) {
      return "the request body is too large";
    }
    return e.getMessage() == null || e.getMessage().isBlank()
        ? reason(e.getStatus())
        : e.getMessage();
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Invalid request";
      case 401 -> "Not logged in";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 413 -> "Content too large";
      case 429 -> "Too many requests";
      case 503 -> "Service unavailable";
      case 507 -> "Insufficient storage";
      default -> "HTTP " + status;
    };
  }

  /**
   * A detail as a client gets it: every quoted value cut to {@link Rules#QUOTE_MAX} characters with
   * an ellipsis, and the whole sentence to {@link #DETAIL_MAX}, so an error never echoes a huge
   * input back. Every problem passes through here.
   */
  public static String shorten(String detail) {
    if (detail == null) {
      return null;
    }
    Matcher m = QUOTED.matcher(detail);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement("'" + Rules.quote(m.group(1)) + "'"));
    }
    m.appendTail(out);
    String s = out.toString();
    return s.length() <= DETAIL_MAX ? s : s.substring(0, DETAIL_MAX) + "…";
  }

  private void write(Context ctx, int status, String title, String detail, String field) {
    try {
      ctx.status(status)
          .contentType("application/problem+json")
          .result(
              mapper.writeValueAsBytes(
                  new Problem("about:blank", title, status, shorten(detail), shortField(field))));
    } catch (Exception e) {
      ctx.status(status).result(shorten(detail));
    }
  }
}
