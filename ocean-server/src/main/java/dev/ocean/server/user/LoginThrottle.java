package dev.ocean.server.user;

import dev.ocean.server.error.TooManyAttempts;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Slows down password guessing and signup floods, with counters kept in the database so a restart
 * does not reset them.
 *
 * <ul>
 *   <li>One address against one account: after a few failures each further attempt must wait twice
 *       as long as the last (capped). A success clears this pair only.
 *   <li>One address against all accounts: counted without reset on success, so logging in to an
 *       account of one's own does not clear a spray against others.
 *   <li>One account from all addresses: only slows down addresses that have failed before; a
 *       correct password from a clean address still gets in, so nobody can lock an owner out.
 *   <li>Signups: at most a number per address per hour.
 * </ul>
 */
public final class LoginThrottle {
  static final int PAIR_FREE = 5;
  static final int ADDRESS_FREE = 20;
  static final int ACCOUNT_FREE = 10;
  private static final Duration MAX_DELAY = Duration.ofMinutes(15);
  private static final Duration FORGET_AFTER = Duration.ofMinutes(30);
  private static final Duration SIGNUP_WINDOW = Duration.ofHours(1);

  private final Jdbi jdbi;
  private final Clock clock;
  private final int signupsPerHour;
  private final AtomicInteger writes = new AtomicInteger();

  private record Counter(int hits, long firstAt, long lastAt) {}

  public LoginThrottle(Jdbi jdbi, Clock clock, int signupsPerHour) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.signupsPerHour = signupsPerHour;
  }

  /** Refuses when this address must still wait before trying this account again. */
  public void check(String email, String address) {
    long now = clock.millis();
    Map<String, Counter> c = load(List.of(pair(email, address), addr(address), acct(email)));
    long wait =
        Math.max(
            waitMillis(c.get(pair(email, address)), PAIR_FREE, now),
            waitMillis(c.get(addr(address)), ADDRESS_FREE, now));
    boolean addressFailedBefore =
        fresh(c.get(pair(email, address)), now) || fresh(c.get(addr(address)), now);
    if (addressFailedBefore) {
      wait = Math.max(wait, waitMillis(c.get(acct(email)), ACCOUNT_FREE, now));
    }
    if (wait > 0) {
      long seconds = Math.max(1, (wait + 999) / 1000);
      throw new TooManyAttempts(
          "too many failed logins; try again in "
              + seconds
              + (seconds == 1 ? " second" : " seconds"),
          seconds);
    }
  }

  public void failed(String email, String address) {
    long now = clock.millis();
    jdbi.useTransaction(
        h -> {
          for (String subject : List.of(pair(email, address), addr(address), acct(email))) {
            bump(h, subject, now, now - FORGET_AFTER.toMillis(), Long.MIN_VALUE);
          }
        });
    sweep(now);
  }

  /** The account's owner got in from this address: their own slate is clean again. */
  public void succeeded(String email, String address) {
    jdbi.useHandle(
        h ->
            h.createUpdate("DELETE FROM throttle_counters WHERE subject IN (?, ?)")
                .bind(0, pair(email, address))
                .bind(1, acct(email))
                .execute());
  }

  /** Counts a signup from this address, refusing beyond the hourly limit. */
  public void signup(String address) {
    long now = clock.millis();
    String subject = "signup:" + address;
    Counter c =
        jdbi.inTransaction(
            h -> {
              bump(h, subject, now, Long.MIN_VALUE, now - SIGNUP_WINDOW.toMillis());
              return load(h, List.of(subject)).get(subject);
            });
    sweep(now);
    if (c.hits > signupsPerHour) {
      long seconds = Math.max(1, (c.firstAt + SIGNUP_WINDOW.toMillis() - now + 999) / 1000);
      throw new TooManyAttempts(
          "too many signups from your address; try again in "
              + seconds
              + (seconds == 1 ? " second" : " seconds"),
          seconds);
    }
  }

  /**
   * Adds one hit; a counter last hit before {@code lastBefore}, or first hit before {@code
   * firstBefore}, starts over.
   */
  private static void bump(Handle h, String subject, long now, long lastBefore, long firstBefore) {
    h.createUpdate(
            "INSERT INTO throttle_counters (subject, hits, first_at, last_at) VALUES (?, 1, ?, ?)"
                + " ON CONFLICT (subject) DO UPDATE SET"
                + " hits = CASE WHEN throttle_counters.last_at < ? OR throttle_counters.first_at < ?"
                + " THEN 1 ELSE throttle_counters.hits + 1 END,"
                + " first_at = CASE WHEN throttle_counters.last_at < ? OR throttle_counters.first_at"
                + " < ? THEN excluded.first_at ELSE throttle_counters.first_at END,"
                + " last_at = excluded.last_at")
        .bind(0, subject)
        .bind(1, now)
        .bind(2, now)
        .bind(3, lastBefore)
        .bind(4, firstBefore)
        .bind(5, lastBefore)
        .bind(6, firstBefore)
        .execute();
  }

  private Map<String, Counter> load(List<String> subjects) {
    return jdbi.withHandle(h -> load(h, subjects));
  }

  private static Map<String, Counter> load(Handle h, List<String> subjects) {
    Map<String, Counter> out = new HashMap<>();
    h.createQuery(
            "SELECT subject, hits, first_at, last_at FROM throttle_counters WHERE subject IN"
                + " (<subjects>)")
        .bindList("subjects", subjects)
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getString("subject"),
                    new Counter(rs.getInt("hits"), rs.getLong("first_at"), rs.getLong("last_at"))))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** Now and then drops counters nobody has touched for long, so the table stays small. */
  private void sweep(long now) {
    if (writes.incrementAndGet() % 100 != 0) {
      return;
    }
    long before = now - Math.max(FORGET_AFTER.toMillis(), SIGNUP_WINDOW.toMillis());
    jdbi.useHandle(
        h ->
            h.createUpdate("DELETE FROM throttle_counters WHERE last_at < ?")
                .bind(0, before)
                .execute());
  }

  private static boolean fresh(Counter c, long now) {
    return c != null && now - c.lastAt <= FORGET_AFTER.toMillis();
  }

  private static long waitMillis(Counter c, int free, long now) {
    if (!fresh(c, now) || c.hits < free) {
      return 0;
    }
    int doublings = Math.min(c.hits - free, 20);
    long delay = Math.min(1000L << doublings, MAX_DELAY.toMillis());
    return Math.max(0, c.lastAt + delay - now);
  }

  private static String pair(String email, String address) {
    return "pair:" + address + "|" + email;
  }

  private static String addr(String address) {
    return "addr:" + address;
  }

  private static String acct(String email) {
    return "acct:" + email;
  }
}
