package dev.ocean.common.validation;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host ports an agent may publish instance ports on ({@code --port-range}), both ends included.
 */
public record PortRange(int low, int high) {

  /** The range used when none is configured. */
  public static final PortRange DEFAULT = new PortRange(30000, 32767);

  private static final Pattern FORM = Pattern.compile("(\\d{1,5})-(\\d{1,5})");

  public PortRange {
    if (low < 1024 || high > 65535 || low > high) {
      throw new IllegalArgumentException(
          "--port-range must be LOW-HIGH within 1024-65535 with LOW <= HIGH, not "
              + low
              + "-"
              + high);
    }
    if (high - low < 1) {
      throw new IllegalArgumentException(
          "--port-range must hold at least two ports (SSH and editor), not " + low + "-" + high);
    }
  }

  /** Parses {@code A-B}; null gives {@link #DEFAULT}. Throws with a sentence naming the flag. */
  public static PortRange parse(String text) {
    if (text == null) {
      return DEFAULT;
    }
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--port-range must look like 30000-32767, not '" + text + "'");
    }
    return new PortRange(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  public int size() {
    return high - low + 1;
  }

  @Override
  public String toString() {
    return low + "-" + high;
  }
}
