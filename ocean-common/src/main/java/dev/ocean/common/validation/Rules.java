package dev.ocean.common.validation;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The input rules of the product contract, shared so the server enforces exactly what the CLI and
 * web UI describe. Each check returns the sentence to show when the value is wrong.
 */
public final class Rules {
  private static final Pattern MACHINE_TYPE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");
  private static final Pattern IMAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern EMAIL =
      // a local part without markup, quotes or separators, and a dotted domain (or localhost,
      // the admin of `ocean up`)
      Pattern.compile(
          "[^@\\s\\p{Cntrl}<>()\\[\\]\\\\,;:\"]{1,64}@(localhost|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+)");
  private static final Pattern IMAGE_REFERENCE =
      Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._/:@+-]{0,254}");

  /** The longest text field a request may carry unless its field allows more. */
  public static final int TEXT_MAX = 1000;

  /** How many characters of a user's input an error message quotes back. */
  public static final int QUOTE_MAX = 40;

  private Rules() {}

  /**
   * The rule every text field of every request follows: at most {@code max} characters and no
   * control characters (NUL, escape, DEL, …). A {@code multiline} field (a command argument, an
   * environment value) may also hold tabs and line breaks.
   */
  public static Optional<String> text(String field, String value, int max, boolean multiline) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.length() > max) {
      return Optional.of(field + " must be at most " + max + " characters long");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed = multiline && (c == '\t' || c == '\n' || c == '\r');
      if ((Character.isISOControl(c) && !allowed)
          || Character.getType(c) == Character.LINE_SEPARATOR
          || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
        return Optional.of(
            field + " must not contain control characters (found U+%04X)".formatted((int) c));
      }
    }
    return Optional.empty();
  }

  /**
   * A user's input as an error message quotes it: at most {@link #QUOTE_MAX} characters, then an
   * ellipsis, so a huge value never comes back whole.
   */
  public static String quote(String value) {
    if (value == null) {
      return "null";
    }
    return value.length() <= QUOTE_MAX ? value : value.substring(0, QUOTE_MAX) + "…";
  }

  public static Optional<String> password(String password) {
    if (password == null || password.length() < 8) {
      return Optional.of("password must be at least 8 characters long");
    }
    if (password.length() > 200) {
      return Optional.of("password must be at most 200 characters long");
    }
    boolean upper = false, lower = false, digit = false, special = false;
    for (char c : password.toCharArray()) {
      if (Character.isUpperCase(c)) upper = true;
      else if (Character.isLowerCase(c)) lower = true;
      else if (Character.isDigit(c)) digit = true;
      else if (!Character.isWhitespace(c)) special = true;
    }
    if (!(upper && lower && digit && special)) {
      return Optional.of(
          "password must contain an upper-case letter, a lower-case letter, a digit and a special"
              + " character");
    }
    return Optional.empty();
  }

  public static Optional<String> email(String email) {
    if (email == null || email.length() > 254 || !EMAIL.matcher(email).matches()) {
      return Optional.of("email must be a valid address such as ada@example.com");
    }
    return Optional.empty();
  }

  public static Optional<String> machineTypeName(String name) {
    return matches(
        MACHINE_TYPE,
        name,
        "machine type name must match [a-z0-9][a-z0-9.-]{0,62}, for example g1.small");
  }

  public static Optional<String> imageName(String name) {
    return matches(
        IMAGE_NAME, name, "image name must be lower-case letters, digits, '.', '_' or '-'");
  }

  public static Optional<String> imageReference(String ref) {
    return matches(
        IMAGE_REFERENCE,
        ref,
        "image reference must look like repository[:tag], for example pytorch/pytorch:2.4.0");
  }

  /** Volume (and other per-user resource) names: a DNS label, so never a path. */
  public static Optional<String> resourceName(String kind, String name) {
    return matches(
        DNS_LABEL,
        name,
        kind
            + " name must be 1-63 lower-case letters, digits or '-', starting and ending with a"
            + " letter or digit");
  }

  private static Optional<String> matches(Pattern pattern, String value, String message) {
    if (value == null || !pattern.matcher(value).matches()) {
      return Optional.of(message);
    }
    return Optional.empty();
  }
}
