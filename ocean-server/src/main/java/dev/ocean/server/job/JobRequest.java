package dev.ocean.server.job;

import dev.ocean.common.api.job.Job;
import dev.ocean.common.validation.Rules;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Invalid;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A job submission after its checks: argv and env are text the agent passes on literally, repeat
 * and parallel are in range. Anything else is a 400 naming the field.
 */
record JobRequest(
    List<String> command, Map<String, String> env, int repeat, int parallel, int retries) {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  static JobRequest check(Job.Submit s) {
    Check.required("name", s.name());
    Check.rule("name", Rules.resourceName("job", s.name()));
    List<String> command = Check.required("command", s.command());
    if (command.isEmpty() || command.size() > 1000) {
      throw new Invalid("command", "command must have 1 to 1000 arguments");
    }
    if (command.getFirst() != null && command.getFirst().isEmpty()) {
      // an empty program name would only fail on the node, after the job waited its turn
      throw new Invalid("command", "command must start with a program, not an empty string");
    }
    for (String arg : command) {
      if (arg == null || arg.length() > 100_000 || arg.indexOf('\0') >= 0) {
        throw new Invalid("command", "command arguments must be text without NUL");
      }
    }
    Map<String, String> env = s.env() == null ? Map.of() : s.env();
    if (env.size() > 200) {
      throw new Invalid("env", "at most 200 environment variables");
    }
    env.forEach(
        (k, v) -> {
          if (k == null || !ENV_NAME.matcher(k).matches() || k.startsWith("OCEAN_")) {
            throw new Invalid(
                "env",
                // no other field's name in it: the CLI reads those as their flags
                "env '"
                    + k
                    + "' is not a valid variable: letters, digits and _ only, not starting with a"
                    + " digit or OCEAN_");
          }
          if (v == null || v.length() > 100_000 || v.indexOf('\0') >= 0) {
            throw new Invalid("env", "value of " + k + " must be text without NUL");
          }
        });
    int repeat = s.repeat() == null ? 1 : Check.range("repeat", s.repeat(), 1, 1000);
    int parallel = s.parallel() == null ? 1 : Check.range("parallel", s.parallel(), 1, repeat);
    Check.maxLength("reason", s.reason(), 1000);
    int retries = s.retries() == null ? 0 : Check.range("retries", s.retries(), 0, 10);
    return new JobRequest(command, env, repeat, parallel, retries);
  }
}
