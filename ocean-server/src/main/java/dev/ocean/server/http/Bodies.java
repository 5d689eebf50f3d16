package dev.ocean.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.stream.Collectors;

/** Reads request bodies, turning broken or mistyped JSON into a 400 that names the field. */
public final class Bodies {
  private final ObjectMapper mapper;

  public Bodies(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public <T> T read(Context ctx, Class<T> type) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0) {
      throw ApiException.badRequest(null, "the request needs a JSON body");
    }
    try {
      T value = mapper.readValue(bytes, type);
      if (value == null) {
        throw ApiException.badRequest(null, "the request needs a JSON object body");
      }
      return value;
    } catch (JsonMappingException e) {
      String field =
          e.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."));
      if (field.isEmpty()) {
        throw ApiException.badRequest(null, "the request body is not the expected JSON object");
      }
      throw ApiException.badRequest(field, "field '" + field + "' has the wrong type");
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          null, "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ApiException.badRequest(null, "the request body could not be read");
    }
  }
}
