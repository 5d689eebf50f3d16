package dev.ocean.server.error;

import dev.ocean.common.validation.Rules;
import dev.ocean.common.validation.WholeNumbers;
import java.util.Optional;

/**
 * Small validation helpers for services and controllers: each throws {@link Invalid} naming the
 * field, which the HTTP layer answers with a 400.
 */
public final class Check {
  private Check() {}

  public static <T> T required(String field, T value) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      throw new Invalid(field, field + " is required");
    }
    return value;
  }

  public static void rule(String field, Optional<String> problem) {
    problem.ifPresent(
        p -> {
          throw new Invalid(field, p);
        });
  }

  public static int range(String field, Integer value, int min, int max) {
    required(field, value);
    if (value < min || value > max) {
      throw new Invalid(
          field, field + " must be between " + min + " and " + max + ", not " + value);
    }
    return value;
  }

  public static String maxLength(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw new Invalid(field, field + " must be at most " + max + " characters");
    }
    return value;
  }

  public static long pathId(String field, String raw) {
    try {
      return WholeNumbers.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new Invalid(field, field + " must be a number, not '" + Rules.quote(raw) + "'");
    }
  }
}
