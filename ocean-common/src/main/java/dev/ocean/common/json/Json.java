package dev.ocean.common.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson configuration every Ocean program uses, so the wire format never drifts. Parsing
 * is strict: a value has the JSON type its field declares (no {@code "4"} for 4, no {@code 1.5} for
 * an integer, no {@code true} for a name), nothing may follow the document, and a key may appear
 * once. Unknown fields are tolerated, so an older peer can read a newer one's answers.
 */
public final class Json {
  private Json() {}

  /** A new mapper: ISO-8601 instants, no nulls written, unknown fields tolerated (newer peers). */
  public static ObjectMapper newMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
    refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer);
    refuse(mapper, LogicalType.Textual, CoercionInputShape.Float);
    refuse(mapper, LogicalType.Textual, CoercionInputShape.Boolean);
    refuse(mapper, LogicalType.Integer, CoercionInputShape.Float);
    refuse(mapper, LogicalType.Integer, CoercionInputShape.String);
    refuse(mapper, LogicalType.Integer, CoercionInputShape.EmptyString);
    refuse(mapper, LogicalType.Integer, CoercionInputShape.Boolean);
    refuse(mapper, LogicalType.Float, CoercionInputShape.String);
    refuse(mapper, LogicalType.Float, CoercionInputShape.EmptyString);
    refuse(mapper, LogicalType.Float, CoercionInputShape.Boolean);
    refuse(mapper, LogicalType.Boolean, CoercionInputShape.Integer);
    refuse(mapper, LogicalType.Boolean, CoercionInputShape.String);
    refuse(mapper, LogicalType.Boolean, CoercionInputShape.EmptyString);
    return mapper;
  }

  private static void refuse(JsonMapper mapper, LogicalType type, CoercionInputShape shape) {
    mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
  }
}
