package dev.ocean.cli.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** What one {@code ocean} invocation did: its exit code and everything it printed. */
record Result(int exit, String out, String err) {
  private static final ObjectMapper JSON = Json.newMapper();

  /** Asserts success and returns this result for chaining. */
  Result ok() {
    assertEquals(0, exit, () -> "expected success, got " + this);
    return this;
  }

  /**
   * Asserts the run failed with {@code code} and said why on stderr without a stack trace; returns
   * stderr.
   */
  String fails(int code) {
    assertEquals(code, exit, () -> "unexpected exit code: " + this);
    assertTrue(err.startsWith("Error: "), () -> "error does not start with 'Error: ': " + this);
    assertFalse(err.contains("\tat ") || err.contains("Exception"), () -> "trace: " + this);
    return err;
  }

  <T> T json(Class<T> type) {
    try {
      return JSON.readValue(ok().out, type);
    } catch (IOException e) {
      throw new UncheckedIOException("stdout is not JSON: " + this, e);
    }
  }

  <T> T json(TypeReference<T> type) {
    try {
      return JSON.readValue(ok().out, type);
    } catch (IOException e) {
      throw new UncheckedIOException("stdout is not JSON: " + this, e);
    }
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
  }
}
