package dev.ocean.server.job;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Jobs written as JSON field by field, exactly as the shared mapper writes a {@link Job} (same
 * fields, same order, nulls left out, ISO-8601 instants): a list of a thousand jobs with three
 * thousand runs is most of {@code GET /jobs}'s time, and the mapper's reflective record writer
 * spent twice as long on it. {@code JobJsonTest} holds the two outputs equal.
 */
final class JobJson {
  // field names encoded once, not for every job and run
  private static final SerializedString F_ATTEMPT = new SerializedString("attempt");
  private static final SerializedString F_COMMAND = new SerializedString("command");
  private static final SerializedString F_CREATED_AT = new SerializedString("createdAt");
  private static final SerializedString F_ENV = new SerializedString("env");
  private static final SerializedString F_EXIT_CODE = new SerializedString("exitCode");
  private static final SerializedString F_FINISHED_AT = new SerializedString("finishedAt");
  private static final SerializedString F_GPUS = new SerializedString("gpus");
  private static final SerializedString F_ID = new SerializedString("id");
  private static final SerializedString F_IMAGE = new SerializedString("image");
  private static final SerializedString F_INDEX = new SerializedString("index");
  private static final SerializedString F_MACHINE_TYPE = new SerializedString("machineType");
  private static final SerializedString F_NAME = new SerializedString("name");
  private static final SerializedString F_NODE = new SerializedString("node");
  private static final SerializedString F_PARALLEL = new SerializedString("parallel");
  private static final SerializedString F_QUEUE_POSITION = new SerializedString("queuePosition");
  private static final SerializedString F_REASON = new SerializedString("reason");
  private static final SerializedString F_REPEAT = new SerializedString("repeat");
  private static final SerializedString F_RETRIES = new SerializedString("retries");
  private static final SerializedString F_RUNS = new SerializedString("runs");
  private static final SerializedString F_STARTED_AT = new SerializedString("startedAt");
  private static final SerializedString F_STATE = new SerializedString("state");
  private static final SerializedString F_USER = new SerializedString("user");
  private static final SerializedString F_VOLUME = new SerializedString("volume");
  private static final SerializedString F_VOLUME_DIR = new SerializedString("volumeDir");
  private static final SerializedString F_WAIT_REASON = new SerializedString("waitReason");

  private JobJson() {}

  /** Writes {@code jobs} as one JSON array to {@code out} (UTF-8), streaming; closes nothing. */
  static void writeArray(JsonFactory factory, OutputStream out, List<Job> jobs) throws IOException {
    try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartArray();
      Last last = new Last();
      for (Job j : jobs) {
        write(g, j, last);
      }
      g.writeEndArray();
    }
  }

  /** Writes one job to {@code out} (UTF-8); closes nothing. */
  static void writeOne(JsonFactory factory, OutputStream out, Job job) throws IOException {
    try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      write(g, job, new Last());
    }
  }

  static void write(JsonGenerator g, Job j, Last last) throws IOException {
    g.writeStartObject();
    g.writeFieldName(F_ID);
    g.writeNumber(j.id());
    string(g, F_NAME, j.name());
    repeated(g, F_USER, last, j.user());
    repeated(g, F_MACHINE_TYPE, last, j.machineType());
    repeated(g, F_IMAGE, last, j.image());
    repeated(g, F_VOLUME, last, j.volume());
    if (j.command() != null) {
      g.writeFieldName(F_COMMAND);
      g.writeStartArray();
      for (String c : j.command()) {
        g.writeString(c);
      }
      g.writeEndArray();
    }
    if (j.env() != null) {
      g.writeFieldName(F_ENV);
      g.writeStartObject();
      for (Map.Entry<String, String> e : j.env().entrySet()) {
        g.writeFieldName(e.getKey());
        g.writeString(e.getValue());
      }
      g.writeEndObject();
    }
    string(g, F_REASON, j.reason());
    g.writeFieldName(F_REPEAT);
    g.writeNumber(j.repeat());
    g.writeFieldName(F_PARALLEL);
    g.writeNumber(j.parallel());
    repeated(g, F_STATE, last, j.state());
    instant(g, F_CREATED_AT, j.createdAt(), last);
    instant(g, F_FINISHED_AT, j.finishedAt(), last);
    integer(g, F_EXIT_CODE, j.exitCode());
    if (j.runs() != null) {
      g.writeFieldName(F_RUNS);
      g.writeStartArray();
      for (Run r : j.runs()) {
        write(g, r, last);
      }
      g.writeEndArray();
    }
    g.writeFieldName(F_RETRIES);
    g.writeNumber(j.retries());
    g.writeEndObject();
  }

  private static void write(JsonGenerator g, Run r, Last last) throws IOException {
    g.writeStartObject();
    g.writeFieldName(F_INDEX);
    g.writeNumber(r.index());
    repeated(g, F_STATE, last, r.state());
    repeated(g, F_NODE, last, r.node());
    if (r.gpus() != null) {
      g.writeFieldName(F_GPUS);
      g.writeStartArray();
      for (Integer gpu : r.gpus()) {
        if (gpu == null) {
          g.writeNull();
        } else {
          g.writeNumber(gpu);
        }
      }
      g.writeEndArray();
    }
    instant(g, F_CREATED_AT, r.createdAt(), last);
    instant(g, F_STARTED_AT, r.startedAt(), last);
    instant(g, F_FINISHED_AT, r.finishedAt(), last);
    integer(g, F_EXIT_CODE, r.exitCode());
    repeated(g, F_REASON, last, r.reason());
    integer(g, F_QUEUE_POSITION, r.queuePosition());
    repeated(g, F_WAIT_REASON, last, r.waitReason());
    g.writeFieldName(F_ATTEMPT);
    g.writeNumber(r.attempt());
    string(g, F_VOLUME_DIR, r.volumeDir());
    g.writeEndObject();
  }

  private static void string(JsonGenerator g, SerializedString field, String value)
      throws IOException {
    if (value != null) {
      g.writeFieldName(field);
      g.writeString(value);
    }
  }

  /**
   * A value many jobs or runs share (their user, machine type, state, node, why they wait): escaped
   * and encoded once per answer, then copied.
   */
  private static void repeated(JsonGenerator g, SerializedString field, Last last, String value)
      throws IOException {
    if (value != null) {
      g.writeFieldName(field);
      g.writeString(last.encoded(value));
    }
  }

  private static void integer(JsonGenerator g, SerializedString field, Integer value)
      throws IOException {
    if (value != null) {
      g.writeFieldName(field);
      g.writeNumber(value.intValue());
    }
  }

  private static void instant(JsonGenerator g, SerializedString field, Instant value, Last last)
      throws IOException {
    if (value == null) {
      return;
    }
    // Instant.toString is ISO_INSTANT, the format the mapper writes; a repeat is not formatted
    // again
    if (!value.equals(last.at)) {
      last.at = value;
      last.text = new SerializedString(value.toString());
    }
    g.writeFieldName(field);
    g.writeString(last.text);
  }

  /**
   * What one answer already wrote: the most recent instant and its text (a job's runs mostly share
   * their creation time), and the encoded form of values that repeat.
   */
  static final class Last {
    private static final int MAX_VALUES = 256;
    private static final int MAX_LENGTH = 256;
    private Instant at;
    private SerializedString text;
    private final Map<String, SerializedString> values = new java.util.HashMap<>();

    SerializableString encoded(String value) {
      SerializedString known = values.get(value);
      if (known == null) {
        known = new SerializedString(value);
        if (value.length() <= MAX_LENGTH && values.size() < MAX_VALUES) {
          values.put(value, known);
        }
      }
      return known;
    }
  }
}
