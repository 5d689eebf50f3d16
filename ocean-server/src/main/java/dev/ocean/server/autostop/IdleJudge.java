package dev.ocean.server.autostop;

import dev.ocean.common.api.instance.Instance.IdleOutlook;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Decides whether an instance is idle, by the signals that matter: its GPUs stay under {@link
 * #GPU_BUSY_PERCENT}, no connection carried traffic, and none of its owner's jobs runs from it. A
 * pure function of its {@link Signals}; the sweep ({@link IdleWatch}) gathers them.
 *
 * <p>Idle since = the latest of: the run's start, the last busy GPU reading, the last connection
 * traffic. It stops at idle since + the machine type's idle stop, or at {@code extendedUntil} when
 * that is later. While a GPU reads busy now, a job from it is active, a connection carried traffic
 * within {@link #CONNECTION_ACTIVE}, or its GPUs have no recent reading (a silent node never gets
 * an instance stopped), it is not idle at all.
 */
public final class IdleJudge {
  /** A GPU at or under this utilisation counts as idle. */
  public static final int GPU_BUSY_PERCENT = 5;

  /** Connection traffic this recent means someone is working in it now. */
  public static final Duration CONNECTION_ACTIVE = Duration.ofMinutes(5);

  /** GPU readings older than this do not tell whether a GPU is idle now. */
  public static final Duration READING_FRESH = Duration.ofMinutes(10);

  /** How long before the stop its owner is warned. */
  public static final Duration WARN_BEFORE = Duration.ofMinutes(30);

  private static final DateTimeFormatter HH_MM =
      DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private IdleJudge() {}

  /** One GPU's utilisation at one time, null when unreadable. */
  public record GpuReading(Instant at, int index, Integer utilisation) {}

  /**
   * What the judge looks at.
   *
   * @param gpus the GPU indices the instance holds (empty for a CPU-only instance)
   * @param readings recent readings of those GPUs, any order
   * @param gpuBusyAt the last busy reading an earlier sweep saw, or null
   * @param lastConnection the last connection traffic, or null for none since it was created
   * @param jobsFromIt its owner's pending or running jobs submitted from inside it
   */
  public record Signals(
      Instant now,
      Duration idleStop,
      Instant startedAt,
      List<Integer> gpus,
      List<GpuReading> readings,
      Instant gpuBusyAt,
      Instant lastConnection,
      int jobsFromIt,
      Instant extendedUntil) {}

  /**
   * The judgement.
   *
   * @param stopsAt when it will be stopped, null while it is not idle
   * @param idleSince since when it is idle, null while it is not idle
   * @param gpuBusyAt the last busy GPU reading known now (for the next sweep), or null
   * @param summary the sentence {@code ocean instance get} shows
   */
  public record Verdict(Instant stopsAt, Instant idleSince, Instant gpuBusyAt, String summary) {
    public boolean idle() {
      return stopsAt != null;
    }

    /** Whether its stop time has come at {@code now}. */
    public boolean due(Instant now) {
      return stopsAt != null && !now.isBefore(stopsAt);
    }

    /** Whether its owner should be warned at {@code now}: idle and stopping soon. */
    public boolean warn(Instant now) {
      return stopsAt != null && !now.plus(WARN_BEFORE).isBefore(stopsAt);
    }
  }

  public static Verdict judge(Signals s) {
    Map<Integer, GpuReading> latest = new TreeMap<>();
    Instant busyAt = s.gpuBusyAt();
    for (GpuReading r : s.readings()) {
      if (!s.gpus().contains(r.index())) {
        continue;
      }
      latest.merge(r.index(), r, (a, b) -> a.at().isAfter(b.at()) ? a : b);
      if (busy(r) && (busyAt == null || r.at().isAfter(busyAt))) {
        busyAt = r.at();
      }
    }
    for (GpuReading r : latest.values()) {
      if (busy(r)) {
        return notIdle(busyAt, "GPU " + r.index() + " busy (" + r.utilisation() + " %)");
      }
    }
    if (s.jobsFromIt() > 0) {
      return notIdle(
          busyAt,
          s.jobsFromIt() == 1
              ? "a job of yours runs from it"
              : s.jobsFromIt() + " jobs of yours run from it");
    }
    if (s.lastConnection() != null
        && s.now().isBefore(s.lastConnection().plus(CONNECTION_ACTIVE))) {
      return notIdle(busyAt, "connection active");
    }
    for (int gpu : s.gpus()) {
      GpuReading r = latest.get(gpu);
      if (r == null || r.utilisation() == null || r.at().isBefore(s.now().minus(READING_FRESH))) {
        return notIdle(busyAt, "no recent reading of GPU " + gpu);
      }
    }
    Instant idleSince =
        Stream.of(s.startedAt(), busyAt, s.lastConnection())
            .filter(Objects::nonNull)
            .max(Comparator.naturalOrder())
            .orElse(s.now());
    Instant stopsAt = idleSince.plus(s.idleStop());
    boolean extended = s.extendedUntil() != null && s.extendedUntil().isAfter(stopsAt);
    if (extended) {
      stopsAt = s.extendedUntil();
    }
    StringBuilder why = new StringBuilder();
    if (!s.gpus().isEmpty()) {
      int max = latest.values().stream().mapToInt(GpuReading::utilisation).max().orElse(0);
      Instant quietSince = busyAt != null && busyAt.isAfter(s.startedAt()) ? busyAt : s.startedAt();
      why.append("GPU ")
          .append(max)
          .append(" % for ")
          .append(duration(Duration.between(quietSince, s.now())))
          .append(", ");
    }
    why.append(
        s.lastConnection() == null
            ? "no connection since it started"
            : "no connection since " + HH_MM.format(s.lastConnection()));
    if (extended) {
      why.append(", extended until ").append(HH_MM.format(stopsAt));
    }
    Duration left = Duration.between(s.now(), stopsAt);
    String when = left.isNegative() || left.isZero() ? "stops now" : "stops in " + duration(left);
    return new Verdict(stopsAt, idleSince, busyAt, when + ": " + why);
  }

  /**
   * The API's idle outlook of an instance; {@code extendCap} the machine type's cap for {@code
   * extend}, counted from now.
   */
  public static IdleOutlook outlook(
      Verdict v, Instant now, Instant extendedUntil, Duration extendCap) {
    return new IdleOutlook(v.stopsAt(), v.summary(), extendedUntil, now.plus(extendCap));
  }

  private static Verdict notIdle(Instant busyAt, String why) {
    return new Verdict(null, null, busyAt, "not idle: " + why);
  }

  private static boolean busy(GpuReading r) {
    return r.utilisation() != null && r.utilisation() > GPU_BUSY_PERCENT;
  }

  /** {@code 42 min}, {@code 3 h}, {@code 3 h 20 min}; rounded down to the minute. */
  static String duration(Duration d) {
    long minutes = Math.max(0, d.toMinutes());
    if (minutes < 60) {
      return minutes + " min";
    }
    long h = minutes / 60;
    long m = minutes % 60;
    return m == 0 ? h + " h" : h + " h " + m + " min";
  }
}
