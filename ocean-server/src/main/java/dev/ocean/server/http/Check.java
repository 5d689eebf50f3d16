package dev.ocean.server.http;

import dev.ocean.common.validation.Rules;
import dev.ocean.common.validation.WholeNumbers;
import dev.ocean.server.error.Invalid;
import io.javalin.http.Context;

/** Request-parsing helpers that need the HTTP context; plain value checks are in error.Check. */
public final class Check {
  private Check() {}

  /** An integer query parameter within [min, max], {@code fallback} when it is absent. */
  public static int queryInt(Context ctx, String name, int fallback, int min, int max) {
    String raw = ctx.queryParam(name);
    if (raw == null) {
      return fallback;
    }
    int value;
    try {
      value = WholeNumbers.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new Invalid(
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
    return dev.ocean.server.error.Check.range(name, value, min, max);
  }
}
