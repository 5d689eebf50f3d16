package dev.ocean.common.api.agent;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A run's name in the agent protocol: {@code JOB-INDEX.ATTEMPT}, e.g. {@code 12-0.2} for the second
 * attempt of run 0 of job 12. The attempt keeps a late report or log chunk of an earlier attempt of
 * a requeued run from landing on the new one. Older agents name runs {@code JOB-INDEX}; such a name
 * has attempt 0 and stands for whatever attempt is current.
 *
 * @param attempt 1 or more, or 0 when the name does not say (the older form)
 */
public record RunId(long jobId, int run, int attempt) {
  /** Plain decimal digits only: no sign, and short enough that parsing cannot overflow. */
  private static final Pattern SHAPE =
      Pattern.compile("([0-9]{1,18})-([0-9]{1,10})(?:\\.([0-9]{1,10}))?");

  /** The name of a run, or empty for text that is not one. */
  public static Optional<RunId> tryParse(String text) {
    var m = text == null ? null : SHAPE.matcher(text);
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    long run = Long.parseLong(m.group(2));
    long attempt = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
    if (run > Integer.MAX_VALUE
        || attempt > Integer.MAX_VALUE
        || (m.group(3) != null && attempt < 1)) {
      return Optional.empty();
    }
    return Optional.of(new RunId(Long.parseLong(m.group(1)), (int) run, (int) attempt));
  }

  /** Whether this name may speak for the run's {@code current} attempt. */
  public boolean names(int current) {
    return attempt == 0 || attempt == current;
  }

  /** The older form without the attempt, {@code JOB-INDEX}. */
  public String withoutAttempt() {
    return jobId + "-" + run;
  }

  @Override
  public String toString() {
    return attempt == 0 ? withoutAttempt() : withoutAttempt() + "." + attempt;
  }
}
