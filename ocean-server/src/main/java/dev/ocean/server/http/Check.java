package dev.ocean.server.http;

import dev.ocean.common.validation.Rules;
import io.javalin.http.Context;
import java.util.Optional;

/** Small validation helpers that throw 400s naming the field. */
public final class Check {
  private Check() {}

  public static <T> T required(String field, T value) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      throw ApiException.badRequest(field, field + " is required");
    }
    return value;
  }

  public static void rule(String field, Optional<String> problem) {
    problem.ifPresent(
        p -> {
          throw ApiException.badRequest(field, p);
        });
  }

  public static int range(String field, Integer value, int min, int max) {
    required(field, value);
    if (value < min || value > max) {
      throw ApiException.badRequest(
          field, field + " must be between " + min + " and " + max + ", not " + value);
    }
    return value;
  }

  public static String maxLength(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw ApiException.badRequest(field, field + " must be at most " + max + " characters");
    }
    return value;
  }

  public static long pathId(String field, String raw) {
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          field, field + " must be a number, not '" + Rules.quote(raw) + "'");
    }
  }

  /** An integer query parameter within [min, max], {@code fallback} when it is absent. */
  public static int queryInt(Context ctx, String name, int fallback, int min, int max) {
    String raw = ctx.queryParam(name);
    if (raw == null) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          name,
          name
              + " must be a whole number from "
              + min
              + " to "
              + max
              + ", not '"
              + Rules.quote(raw)
              + "'");
    }
    return range(name, value, min, max);
  }
}
