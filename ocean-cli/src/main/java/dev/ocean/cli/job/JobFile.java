package dev.ocean.cli.job;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.JobBatch;
import dev.ocean.common.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The jobs of {@code ocean job submit --from-file F}: JSON Lines, one job per line with the fields
 * of the submit flags ({@code name}, {@code machine-type} or {@code machineType}, {@code image},
 * {@code volume}, {@code repeat}, {@code parallel}, {@code reason}, {@code retries}, {@code env} as
 * an object or a list of {@code K=V}, {@code command} as a list of arguments). Blank lines are
 * skipped; every refusal names the line.
 */
record JobFile(String label, List<Job.Submit> jobs, List<Integer> lines) {
  private static final ObjectMapper JSON = Json.newMapper();
  private static final Pattern JOB_INDEX = Pattern.compile("^job (\\d+): ");
  private static final Pattern FIELD_INDEX = Pattern.compile("^jobs\\[(\\d+)]");

  /** A file's field names, as flags spell them or as the API does, and the API's name. */
  private static final Map<String, String> FIELDS =
      Map.ofEntries(
          Map.entry("name", "name"),
          Map.entry("machine-type", "machineType"),
          Map.entry("machineType", "machineType"),
          Map.entry("image", "image"),
          Map.entry("volume", "volume"),
          Map.entry("repeat", "repeat"),
          Map.entry("parallel", "parallel"),
          Map.entry("reason", "reason"),
          Map.entry("retries", "retries"),
          Map.entry("env", "env"),
          Map.entry("command", "command"));

  /**
   * Reads {@code file} as typed: {@code -} for stdin, else a path that {@code cwd} resolves against
   * the caller's directory (the daemon's own is not the caller's).
   */
  static JobFile read(String file, Function<String, Path> cwd, InputStream stdin) {
    if (file.equals("-")) {
      return parse("standard input", stdin);
    }
    if (file.isEmpty()) {
      throw new CliException(
          ExitCodes.USAGE, "--from-file needs a file name (or - for standard input)");
    }
    Path path = cwd.apply(file).toAbsolutePath();
    try (InputStream in = Files.newInputStream(path)) {
      return parse(file, in);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.USAGE, "--from-file: no such file " + path);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.USAGE, "--from-file: cannot read " + path + ": " + e.getMessage());
    }
  }

  private static JobFile parse(String label, InputStream in) {
    List<Job.Submit> jobs = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      int number = 0;
      for (String line; (line = r.readLine()) != null; ) {
        number++;
        if (number == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1); // the byte order mark some editors save
        }
        if (line.isBlank()) {
          continue;
        }
        if (jobs.size() == JobBatch.MAX_JOBS) {
          throw new CliException(
              ExitCodes.USAGE,
              label
                  + " holds more than "
                  + JobBatch.MAX_JOBS
                  + " jobs; one submission takes at most that many, split the file");
        }
        jobs.add(job(label, number, line));
        lines.add(number);
      }
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.USAGE, "--from-file: cannot read " + label + ": " + e.getMessage());
    }
    if (jobs.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, label + " holds no jobs (one JSON object a line)");
    }
    return new JobFile(label, jobs, lines);
  }

  private static Job.Submit job(String label, int number, String line) {
    String where = label + " line " + number;
    JsonNode tree;
    try {
      tree = JSON.readTree(line);
    } catch (MismatchedInputException e) {
      // FAIL_ON_TRAILING_TOKENS: a whole value, then more
      throw new CliException(
          ExitCodes.USAGE, where + " holds more than one JSON object; give one job a line");
    } catch (JsonEOFException e) {
      throw new CliException(
          ExitCodes.USAGE, where + " is not valid JSON: it ends before its object is closed");
    } catch (StreamConstraintsException e) {
      throw new CliException(ExitCodes.USAGE, where + " is not valid JSON: it nests too deeply");
    } catch (JsonProcessingException e) {
      // the parser's own message quotes the line (a file sent by mistake) and names its internals
      JsonLocation at = e.getLocation();
      throw new CliException(
          ExitCodes.USAGE,
          where
              + " is not valid JSON"
              + (at == null || at.getColumnNr() < 1 ? "" : " (column " + at.getColumnNr() + ")"));
    }
    if (tree == null || !tree.isObject()) {
      throw new CliException(ExitCodes.USAGE, where + " must be one JSON object (a job)");
    }
    ObjectNode api = JSON.createObjectNode();
    for (var e : tree.properties()) {
      String field = FIELDS.get(e.getKey());
      if (field == null) {
        throw new CliException(
            ExitCodes.USAGE,
            where
                + ": unknown field '"
                + e.getKey()
                + "'; a job has name, machine-type, image, volume, repeat, parallel, reason,"
                + " retries, env and command");
      }
      if (api.has(field)) {
        throw new CliException(
            ExitCodes.USAGE, where + ": give machine-type or machineType, not both");
      }
      JsonNode value = e.getValue();
      if (field.equals("command")
          && value.isArray()
          && value.path(0).isTextual()
          && value.path(0).textValue().isEmpty()) {
        throw new CliException(
            ExitCodes.USAGE, where + ": command must start with a program, not an empty string");
      }
      if (field.equals("env") && value.isArray()) {
        value = envObject(where, value);
      }
      if (field.equals("command") && value.isTextual()) {
        throw new CliException(
            ExitCodes.USAGE,
            where + ": command must be a list of arguments, e.g. [\"python\", \"train.py\"]");
      }
      api.set(field, value);
    }
    try {
      return JSON.treeToValue(api, Job.Submit.class);
    } catch (JsonMappingException e) {
      String field =
          e.getPath().isEmpty() || e.getPath().getFirst().getFieldName() == null
              ? "a field"
              : "field '" + e.getPath().getFirst().getFieldName() + "'";
      throw new CliException(ExitCodes.USAGE, where + ": " + field + " has the wrong type");
    } catch (JsonProcessingException e) {
      throw new CliException(ExitCodes.USAGE, where + ": " + e.getOriginalMessage());
    }
  }

  /**
   * Refuses (exit 2, like a file of too many jobs) a batch whose JSON is over what the server
   * reads, before it is sent.
   */
  void checkSize() {
    long bytes;
    try (var counter = new CountingSink()) {
      JSON.writeValue(counter, new JobBatch(jobs));
      bytes = counter.count;
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot write the batch: " + e.getMessage());
    }
    if (bytes > JobBatch.MAX_BYTES) {
      throw new CliException(
          ExitCodes.USAGE,
          label
              + " makes "
              + (bytes + (1 << 20) - 1) / (1 << 20)
              + " MiB of JSON; one submission takes at most "
              + JobBatch.MAX_BYTES / (1 << 20)
              + " MiB, split the file");
    }
  }

  /** Counts what is written to it and keeps none of it. */
  private static final class CountingSink extends java.io.OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  /** {@code ["K=V", …]}, as {@code --env} takes them, read as the object the API wants. */
  private static JsonNode envObject(String where, JsonNode list) {
    ObjectNode env = JSON.createObjectNode();
    for (JsonNode kv : list) {
      String text = kv.isTextual() ? kv.textValue() : "";
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw new CliException(
            ExitCodes.USAGE, where + ": env entries must look like KEY=VALUE, not " + kv);
      }
      if (env.has(text.substring(0, eq))) {
        throw new CliException(
            ExitCodes.USAGE, where + ": env sets " + text.substring(0, eq) + " twice");
      }
      env.put(text.substring(0, eq), text.substring(eq + 1));
    }
    return env;
  }

  /**
   * The server's refusal of the batch in the file's terms: {@code job 3: unknown image …} becomes
   * {@code jobs.jsonl line 5: unknown image …}.
   */
  String explain(String detail, String field) {
    Integer index = null;
    Matcher d = JOB_INDEX.matcher(detail == null ? "" : detail);
    if (d.find()) {
      index = Integer.valueOf(d.group(1));
      detail = detail.substring(d.end());
    } else if (field != null) {
      Matcher f = FIELD_INDEX.matcher(field);
      if (f.find()) {
        index = Integer.valueOf(f.group(1));
      }
    }
    // the API's names of the job's fields (jobs[0].reason) read as the file's (reason)
    detail = detail == null ? null : detail.replaceAll("jobs\\[\\d+]\\.", "");
    if (index == null || index < 0 || index >= lines.size()) {
      return label + ": " + detail;
    }
    return label + " line " + lines.get(index) + ": " + detail;
  }
}
