package dev.ocean.agent.daemon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's JSON: Ocean's wire records (and the agent's own state files) read and written with
 * jackson-core's streaming parser and generator, the way {@code Json.newMapper()} does it: record
 * components by name, nulls left out, unknown fields skipped, byte arrays as base64, instants as
 * ISO-8601, and a value only of the JSON type its component declares (no {@code "4"} for 4, no
 * duplicate keys, nothing after the document). Jackson's databind costs an idle agent about 10 MB
 * of classes for what these few records need.
 */
public final class RecordJson {
  private RecordJson() {}

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

  /** {@code value} as JSON (indented when {@code pretty}, as Jackson's default printer does). */
  public static byte[] write(Object value, boolean pretty) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      if (pretty) {
        g.useDefaultPrettyPrinter();
      }
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The {@code type} in {@code json}.
   *
   * @throws JsonParseException when it is not JSON or not of that shape
   */
  public static <T> T read(byte[] json, Class<T> type) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      p.nextToken();
      Object value = value(p, type);
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "Trailing token (of type " + p.currentToken() + ")");
      }
      @SuppressWarnings("unchecked")
      T t = type == Void.class ? null : (T) value;
      return t;
    }
  }

  private static void write(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Boolean b -> g.writeBoolean(b);
      case Integer i -> g.writeNumber(i);
      case Long l -> g.writeNumber(l);
      case Double d -> g.writeNumber(d);
      case Float f -> g.writeNumber(f);
      case Short s -> g.writeNumber(s);
      case byte[] bytes -> g.writeBinary(bytes);
      case Enum<?> e -> g.writeString(e.name());
      case Instant i -> g.writeString(i.toString());
      case Collection<?> c -> {
        g.writeStartArray();
        for (Object o : c) {
          write(g, o);
        }
        g.writeEndArray();
      }
      case Map<?, ?> m -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          g.writeFieldName(String.valueOf(e.getKey()));
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
      case Record r -> {
        g.writeStartObject();
        Shape shape = shape(r.getClass());
        for (RecordComponent c : shape.components) {
          Object value = get(c, r);
          if (value != null) {
            g.writeFieldName(c.getName());
            write(g, value);
          }
        }
        g.writeEndObject();
      }
      default -> throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
    }
  }

  private static Object value(JsonParser p, Type type) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new JsonParseException(p, "No content to map due to end-of-input");
    }
    Class<?> raw = raw(type);
    if (t == JsonToken.VALUE_NULL) {
      if (raw.isPrimitive()) {
        throw mismatch(p, raw);
      }
      return null;
    }
    if (raw == String.class) {
      return expect(p, raw, t == JsonToken.VALUE_STRING).getText();
    }
    if (raw == int.class || raw == Integer.class) {
      return expect(p, raw, t == JsonToken.VALUE_NUMBER_INT).getIntValue();
    }
    if (raw == long.class || raw == Long.class) {
      return expect(p, raw, t == JsonToken.VALUE_NUMBER_INT).getLongValue();
    }
    if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
      boolean number = t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT;
      double d = expect(p, raw, number).getDoubleValue();
      return raw == float.class || raw == Float.class ? (Object) (float) d : (Object) d;
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return expect(p, raw, t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE)
          .getBooleanValue();
    }
    if (raw == byte[].class) {
      return expect(p, raw, t == JsonToken.VALUE_STRING).getBinaryValue();
    }
    if (raw == Instant.class) {
      return Instant.parse(expect(p, raw, t == JsonToken.VALUE_STRING).getText());
    }
    if (raw.isEnum()) {
      String name = expect(p, raw, t == JsonToken.VALUE_STRING).getText();
      for (Object c : raw.getEnumConstants()) {
        if (((Enum<?>) c).name().equals(name)) {
          return c;
        }
      }
      throw new JsonParseException(p, "'" + name + "' is not one of " + raw.getSimpleName());
    }
    if (raw == Object.class) {
      return natural(p);
    }
    if (Collection.class.isAssignableFrom(raw)) {
      expect(p, raw, t == JsonToken.START_ARRAY);
      Type element = argument(type, 0);
      Collection<Object> out =
          Set.class.isAssignableFrom(raw) ? new HashSet<>() : new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        out.add(value(p, element));
      }
      return out;
    }
    if (Map.class.isAssignableFrom(raw)) {
      expect(p, raw, t == JsonToken.START_OBJECT);
      Type valueType = argument(type, 1);
      Map<String, Object> out = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        if (out.containsKey(key)) {
          throw new JsonParseException(p, "Duplicate field '" + key + "'");
        }
        out.put(key, value(p, valueType));
      }
      return out;
    }
    if (raw.isRecord()) {
      return record(p, raw);
    }
    throw new IllegalArgumentException("no JSON form for " + raw.getName());
  }

  private static Object record(JsonParser p, Class<?> raw) throws IOException {
    expect(p, raw, p.currentToken() == JsonToken.START_OBJECT);
    Shape shape = shape(raw);
    Object[] args = new Object[shape.components.length];
    Set<String> seen = new HashSet<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (!seen.add(name)) {
        throw new JsonParseException(p, "Duplicate field '" + name + "'");
      }
      Integer i = shape.index.get(name);
      if (i == null) {
        p.skipChildren(); // a newer peer's field
        continue;
      }
      args[i] = value(p, shape.components[i].getGenericType());
    }
    for (int i = 0; i < args.length; i++) {
      Class<?> c = shape.components[i].getType();
      if (args[i] == null && c.isPrimitive()) {
        // as the server's mapper: a record's number or flag is never left out
        throw new JsonParseException(
            p, "Missing " + c.getName() + " '" + shape.components[i].getName() + "'");
      }
    }
    try {
      return shape.constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      throw new JsonParseException(
          p, "Cannot make " + raw.getSimpleName() + ": " + e.getCause().getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object natural(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case START_OBJECT -> value(p, Map.class);
      case START_ARRAY -> value(p, List.class);
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
      case VALUE_TRUE -> true;
      case VALUE_FALSE -> false;
      default -> null;
    };
  }

  private static JsonParser expect(JsonParser p, Class<?> type, boolean ok) throws IOException {
    if (!ok) {
      throw mismatch(p, type);
    }
    return p;
  }

  private static JsonParseException mismatch(JsonParser p, Class<?> type) {
    return new JsonParseException(
        p, "Cannot read " + type.getSimpleName() + " from " + p.currentToken() + " value");
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType pt) {
      return (Class<?>) pt.getRawType();
    }
    return Object.class; // a wildcard or type variable: read it as it comes
  }

  private static Type argument(Type type, int i) {
    return type instanceof ParameterizedType pt && pt.getActualTypeArguments().length > i
        ? pt.getActualTypeArguments()[i]
        : Object.class;
  }

  private static Object get(RecordComponent c, Record r) {
    try {
      return c.getAccessor().invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Shape shape(Class<?> type) {
    return SHAPES.computeIfAbsent(type, Shape::of);
  }

  /** A record's components in declaration order, by name, and its canonical constructor. */
  private record Shape(
      RecordComponent[] components, Map<String, Integer> index, Constructor<?> constructor) {
    static Shape of(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      Map<String, Integer> index = new LinkedHashMap<>();
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        index.put(components[i].getName(), i);
        types[i] = components[i].getType();
      }
      try {
        Constructor<?> constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        for (RecordComponent c : components) {
          c.getAccessor().setAccessible(true);
        }
        return new Shape(components, Map.copyOf(index), constructor);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
