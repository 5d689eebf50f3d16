package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** What one {@code ocean} invocation did: its exit code and everything it printed. */
record Run(int exit, String out, String err) {
  private static final ObjectMapper JSON = Json.newMapper();

  /** Asserts success and returns this run for chaining. */
  Run ok() {
    assertEquals(0, exit, () -> "expected success, got " + this);
    return this;
  }

  /**
   * Asserts the run failed with {@code code} and told the user why in one sentence on stderr,
   * without a stack trace; returns that sentence (without the {@code Error: } prefix).
   */
  String fails(int code) {
    assertEquals(code, exit, () -> "unexpected exit code: " + this);
    List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
    assertFalse(lines.isEmpty(), () -> "no error message: " + this);
    String first = lines.getFirst();
    assertTrue(first.startsWith("Error: "), () -> "error does not start with 'Error: ': " + this);
    for (String line : lines) {
      assertFalse(line.startsWith("\tat ") || line.contains("Exception"), () -> "trace: " + this);
      assertFalse(line.contains("<html") || line.contains("<HTML"), () -> "HTML shown: " + this);
    }
    return first.substring("Error: ".length());
  }

  /** Like {@link #fails} for errors the server reports: exactly one line on stderr. */
  String failsWithOneLine(int code) {
    String sentence = fails(code);
    assertEquals(1, err.lines().count(), () -> "more than one line on stderr: " + this);
    return sentence;
  }

  <T> T json(Class<T> type) {
    try {
      return JSON.readValue(ok().out, type);
    } catch (IOException e) {
      throw new UncheckedIOException("stdout is not JSON: " + out, e);
    }
  }

  <T> T json(TypeReference<T> type) {
    try {
      return JSON.readValue(ok().out, type);
    } catch (IOException e) {
      throw new UncheckedIOException("stdout is not JSON: " + out, e);
    }
  }

  List<String> lines() {
    return out.lines().toList();
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
  }
}
