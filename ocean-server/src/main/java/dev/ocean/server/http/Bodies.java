package dev.ocean.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.ocean.common.validation.Rules;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads request bodies strictly: one JSON object of the declared types and nothing after it, every
 * text field within its length and free of control characters. Anything else is a 400 that names
 * the field.
 */
public final class Bodies {
  /** Fields whose text may be long and span lines: a job's command vector and environment. */
  private static final int MULTILINE_MAX = 32 * 1024;

  /** Where those fields are: at the top, or in each job of a batch ({@code jobs[3].command[0]}). */
  private static final java.util.regex.Pattern MULTILINE =
      java.util.regex.Pattern.compile("(jobs\\[\\d+]\\.)?(command\\[|env\\.)");

  /**
   * Bytes as base64, not text: the log bytes an agent's report carries ({@code reports[2].log}),
   * bounded by the report's own limit ({@code RunReports.MAX_LOG}).
   */
  private static final java.util.regex.Pattern BINARY =
      java.util.regex.Pattern.compile("reports\\[\\d+]\\.log");

  private final ObjectMapper mapper;

  /** A strict reader per body type: building one costs a type lookup on every request. */
  private final Map<Class<?>, com.fasterxml.jackson.databind.ObjectReader> strictReaders =
      new java.util.concurrent.ConcurrentHashMap<>();

  public Bodies(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The shared mapper's factory, for answers written field by field. */
  public com.fasterxml.jackson.core.JsonFactory factory() {
    return mapper.getFactory();
  }

  public <T> T read(Context ctx, Class<T> type) {
    requireJson(ctx);
    return read(ctx.bodyAsBytes(), type);
  }

  /**
   * Refuses (415) a body declared as anything but JSON, e.g. the {@code text/plain} of a browser's
   * "simple" cross-site request, and a body that declares no type at all (every Ocean client
   * declares it). A request with no body passes, so the read can say a body is needed. Reads no
   * byte of the body.
   */
  public static void requireJson(Context ctx) {
    String type = ctx.contentType();
    if ((type == null || type.isBlank()) && ctx.req().getContentLengthLong() == 0) {
      return;
    }
    requireDeclaredJson(ctx);
  }

  /**
   * Like {@link #requireJson}, and an empty body that declares no type is refused too (the job
   * batch).
   */
  public static void requireDeclaredJson(Context ctx) {
    String type = ctx.contentType();
    if (type == null || type.isBlank()) {
      throw new ApiException(
          415,
          "Unsupported media type",
          "the request body must be sent as Content-Type: application/json; it declared no type",
          null);
    }
    refuseOtherThanJson(type);
  }

  private static void refuseOtherThanJson(String type) {
    String media = type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
    if (!media.equals("application/json") && !media.endsWith("+json")) {
      throw new ApiException(
          415,
          "Unsupported media type",
          "the request body must be sent as Content-Type: application/json, not " + media,
          null);
    }
  }

  /**
   * Like {@link #read(Context, Class)}, and a field the type does not have is refused (400 naming
   * it, e.g. {@code jobs[0].retires}) instead of ignored: a misspelt option must not silently give
   * its default.
   */
  public <T> T readStrict(Context ctx, Class<T> type) {
    requireJson(ctx);
    return read(ctx.bodyAsBytes(), type, true);
  }

  /** Like {@link #read(Context, Class)} for a body the caller read (e.g. under its own limit). */
  public <T> T read(byte[] bytes, Class<T> type) {
    return read(bytes, type, false);
  }

  /** Reads a body the caller read; {@code strict}: unknown fields are refused. */
  public <T> T read(byte[] bytes, Class<T> type, boolean strict) {
    if (bytes.length == 0) {
      throw ApiException.badRequest(null, "the request needs a JSON body");
    }
    JsonNode tree = tree(bytes);
    if (tree == null || !tree.isObject()) {
      throw ApiException.badRequest(null, "the request body must be a JSON object");
    }
    checkText(tree, Where.ROOT);
    try {
      T value =
          strict
              ? strictReaders
                  .computeIfAbsent(
                      type,
                      t ->
                          mapper
                              .readerFor(t)
                              .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES))
                  .readValue(tree)
              : mapper.treeToValue(tree, type);
      if (value == null) {
        throw ApiException.badRequest(null, "the request needs a JSON object body");
      }
      return value;
    } catch (JsonMappingException e) {
      String field =
          e.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
      if (field.isEmpty()) {
        throw ApiException.badRequest(null, "the request body is not the expected JSON object");
      }
      if (e instanceof UnrecognizedPropertyException u) {
        String known =
            u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList().toString();
        throw ApiException.badRequest(
            field,
            "unknown field '"
                + field
                + "'; the fields are "
                + known.substring(1, known.length() - 1));
      }
      throw ApiException.badRequest(field, "field '" + field + "' has the wrong type");
    } catch (IOException e) {
      throw ApiException.badRequest(null, "the request body is not the expected JSON object");
    }
  }

  /**
   * Refuses a body on a route that takes none (cancel, revoke, logout …), so a client never
   * believes fields it sent were applied. An empty body and an empty object {@code {}} pass.
   */
  public void none(Context ctx) {
    byte[] bytes = ctx.bodyAsBytes();
    if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return;
    }
    JsonNode tree = tree(bytes);
    if (tree == null || !tree.isObject() || !tree.isEmpty()) {
      throw ApiException.badRequest(null, "this request takes no body; send it empty");
    }
  }

  private JsonNode tree(byte[] bytes) {
    try {
      return mapper.readTree(bytes);
    } catch (MismatchedInputException e) {
      // FAIL_ON_TRAILING_TOKENS: a whole JSON value, then more.
      throw ApiException.badRequest(
          null, "the request body must hold one JSON object and nothing after it");
    } catch (JsonProcessingException e) {
      // Jackson's own message names its internals (markers, sources, features): say where instead
      com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
      throw ApiException.badRequest(
          null,
          at == null
              ? "the request body is not valid JSON"
              : "the request body is not valid JSON (line "
                  + at.getLineNr()
                  + ", column "
                  + at.getColumnNr()
                  + ")");
    } catch (IOException e) {
      throw ApiException.badRequest(null, "the request body could not be read");
    }
  }

  /**
   * Checks every text and key of the tree. A field's path ({@code jobs[3].command[0]}) is spelled
   * out only for a refusal: building it for every node cost more than the check itself.
   */
  private static void checkText(JsonNode node, Where where) {
    if (node.isTextual()) {
      String value = node.textValue();
      if (Rules.text("", value, Rules.TEXT_MAX, false).isEmpty()) {
        return; // fine as a one-line text, so fine wherever it is
      }
      String path = where.path();
      if (BINARY.matcher(path).matches()) {
        return;
      }
      boolean multiline = MULTILINE.matcher(path).lookingAt();
      int max = multiline ? MULTILINE_MAX : Rules.TEXT_MAX;
      dev.ocean.server.error.Check.rule(path, Rules.text(path, value, max, multiline));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkText(node.get(i), new Where(where, null, i));
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = e.getKey();
        Where child = new Where(where, key, -1);
        if (Rules.text("", key, Rules.TEXT_MAX, false).isPresent()) {
          String path = child.path();
          dev.ocean.server.error.Check.rule(
              path, Rules.text(path + " (a key)", key, Rules.TEXT_MAX, false));
        }
        checkText(e.getValue(), child);
      }
    }
  }

  /** A node's place in the body: a key of its parent object, or an index of its parent array. */
  private record Where(Where parent, String key, int index) {
    static final Where ROOT = new Where(null, null, -1);

    /** As refusals name it: {@code jobs[3].command[0]}, {@code env.HOME}. */
    String path() {
      if (parent == null) {
        return "";
      }
      String above = parent.path();
      if (key == null) {
        return above + "[" + index + "]";
      }
      return above.isEmpty() ? key : above + "." + key;
    }
  }
}
