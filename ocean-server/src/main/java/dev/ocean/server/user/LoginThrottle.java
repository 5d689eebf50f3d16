package dev.ocean.server.user;

import dev.ocean.server.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after a few failures for one account or from one address, each
 * further attempt must wait twice as long as the last (capped), whatever the password.
 */
public final class LoginThrottle {
  static final int FREE_FAILURES = 5;
  private static final Duration MAX_DELAY = Duration.ofMinutes(15);
  private static final Duration FORGET_AFTER = Duration.ofMinutes(30);

  private final Clock clock;
  private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

  private record Failures(int count, long lastMillis) {}

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** Refuses with 429 when this account or address must still wait. */
  public void check(String email, String address) {
    long wait = Math.max(waitMillis("acct:" + email), waitMillis("addr:" + address));
    if (wait > 0) {
      throw ApiException.tooManyRequests(
          "too many failed logins; try again in " + Math.max(1, (wait + 999) / 1000) + " seconds");
    }
  }

  public void failed(String email, String address) {
    long now = clock.millis();
    for (String key : new String[] {"acct:" + email, "addr:" + address}) {
      failures.merge(key, new Failures(1, now), (a, b) -> new Failures(a.count + 1, now));
    }
    if (failures.size() > 100_000) {
      failures.entrySet().removeIf(e -> now - e.getValue().lastMillis > FORGET_AFTER.toMillis());
    }
  }

  public void succeeded(String email, String address) {
    failures.remove("acct:" + email);
    failures.remove("addr:" + address);
  }

  private long waitMillis(String key) {
    Failures f = failures.get(key);
    if (f == null || f.count < FREE_FAILURES) {
      return 0;
    }
    long now = clock.millis();
    if (now - f.lastMillis > FORGET_AFTER.toMillis()) {
      failures.remove(key, f);
      return 0;
    }
    int doublings = Math.min(f.count - FREE_FAILURES, 20);
    long delay = Math.min(1000L << doublings, MAX_DELAY.toMillis());
    return f.lastMillis + delay - now;
  }
}
