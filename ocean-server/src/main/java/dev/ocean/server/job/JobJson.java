package dev.ocean.server.job;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
    g.writeNumberField("id", j.id());
    string(g, "name", j.name());
    string(g, "user", j.user());
    string(g, "machineType", j.machineType());
    string(g, "image", j.image());
    string(g, "volume", j.volume());
    if (j.command() != null) {
      g.writeFieldName("command");
      g.writeStartArray();
      for (String c : j.command()) {
        g.writeString(c);
      }
      g.writeEndArray();
    }
    if (j.env() != null) {
      g.writeFieldName("env");
      g.writeStartObject();
      for (Map.Entry<String, String> e : j.env().entrySet()) {
        g.writeFieldName(e.getKey());
        g.writeString(e.getValue());
      }
      g.writeEndObject();
    }
    string(g, "reason", j.reason());
    g.writeNumberField("repeat", j.repeat());
    g.writeNumberField("parallel", j.parallel());
    string(g, "state", j.state());
    instant(g, "createdAt", j.createdAt(), last);
    instant(g, "finishedAt", j.finishedAt(), last);
    integer(g, "exitCode", j.exitCode());
    if (j.runs() != null) {
      g.writeFieldName("runs");
      g.writeStartArray();
      for (Run r : j.runs()) {
        write(g, r, last);
      }
      g.writeEndArray();
    }
    g.writeNumberField("retries", j.retries());
    g.writeEndObject();
  }

  private static void write(JsonGenerator g, Run r, Last last) throws IOException {
    g.writeStartObject();
    g.writeNumberField("index", r.index());
    string(g, "state", r.state());
    string(g, "node", r.node());
    if (r.gpus() != null) {
      g.writeFieldName("gpus");
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
    instant(g, "createdAt", r.createdAt(), last);
    instant(g, "startedAt", r.startedAt(), last);
    instant(g, "finishedAt", r.finishedAt(), last);
    integer(g, "exitCode", r.exitCode());
    string(g, "reason", r.reason());
    integer(g, "queuePosition", r.queuePosition());
    string(g, "waitReason", r.waitReason());
    g.writeNumberField("attempt", r.attempt());
    string(g, "volumeDir", r.volumeDir());
    g.writeEndObject();
  }

  private static void string(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  private static void integer(JsonGenerator g, String field, Integer value) throws IOException {
    if (value != null) {
      g.writeNumberField(field, value.intValue());
    }
  }

  private static void instant(JsonGenerator g, String field, Instant value, Last last)
      throws IOException {
    if (value == null) {
      return;
    }
    // Instant.toString is ISO_INSTANT, the format the mapper writes; a repeat is not formatted
    // again
    if (!value.equals(last.at)) {
      last.at = value;
      last.text = value.toString();
    }
    g.writeStringField(field, last.text);
  }

  /**
   * The most recent instant written and its text: a job's runs mostly share their creation time.
   */
  static final class Last {
    private Instant at;
    private String text;
  }
}
