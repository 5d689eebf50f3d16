package dev.ocean.cli.node;

import java.time.Duration;
import java.time.Instant;

/** Human forms of bytes, percentages and ages for the node views. */
final class Units {
  private Units() {}

  static String gib(long bytes) {
    return String.format("%.0f GiB", bytes / (1024.0 * 1024 * 1024));
  }

  static String mib(Integer used, Integer total) {
    if (used == null && total == null) {
      return "-";
    }
    return (used == null ? "?" : used.toString())
        + "/"
        + (total == null ? "?" : total.toString())
        + " MiB";
  }

  static String pct(Number n) {
    return n == null ? "-" : Math.round(n.doubleValue()) + "%";
  }

  static String temp(Integer c) {
    return c == null ? "-" : c + "C";
  }

  static String watts(Double draw, Double limit) {
    if (draw == null && limit == null) {
      return "-";
    }
    return (draw == null ? "?" : String.valueOf(Math.round(draw)))
        + "/"
        + (limit == null ? "?" : String.valueOf(Math.round(limit)))
        + " W";
  }

  static String ago(Instant t, Instant now) {
    if (t == null) {
      return "never";
    }
    long s = Math.max(0, Duration.between(t, now).toSeconds());
    if (s < 60) {
      return s + "s ago";
    }
    if (s < 3600) {
      return (s / 60) + "m ago";
    }
    return (s / 3600) + "h ago";
  }
}
