package dev.ocean.cli.job;

import static dev.ocean.cli.base.BaseCommand.time;

import dev.ocean.cli.base.Details;
import dev.ocean.cli.base.Style;
import dev.ocean.cli.base.Table;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/** The human forms of jobs: the list table and the detail view. */
final class JobViews {
  private JobViews() {}

  static void table(List<Job> jobs, boolean withUser, boolean wide, PrintWriter out, Style s) {
    Table t =
        new Table(
            "ID",
            "USER",
            "NAME",
            "STATE",
            "RUNS",
            "MACHINE TYPE",
            "SUBMITTED",
            "WAITING",
            "NODE",
            "GPUS",
            "ATTEMPT",
            "REASON");
    for (Job j : jobs) {
      t.row(
          j.id(),
          j.user(),
          j.name(),
          s.state(j.state()),
          runs(j),
          j.machineType(),
          time(j.createdAt()),
          waiting(j),
          joined(j, r -> r.node()),
          joined(j, r -> r.gpus() == null || r.gpus().isEmpty() ? null : gpus(r)),
          j.runs().stream().mapToInt(Run::attempt).max().orElse(1),
          j.runs().stream()
              .map(Run::reason)
              .filter(x -> x != null && !x.isBlank())
              .findFirst()
              .orElse(j.reason()));
    }
    if (!withUser) {
      t.hide("USER");
    }
    if (!wide) {
      t.hide("NODE").hide("GPUS").hide("ATTEMPT").hide("REASON");
    }
    t.print(out, s);
  }

  /** The distinct values of the job's runs, e.g. the nodes they ran on; "-" for none. */
  private static String joined(Job j, java.util.function.Function<Run, String> f) {
    String v =
        j.runs().stream().map(f).filter(x -> x != null).distinct().collect(Collectors.joining(" "));
    return v.isEmpty() ? "-" : v;
  }

  private static String gpus(Run r) {
    return r.gpus().stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** e.g. {@code 2/5 done, 1 running}. */
  static String runs(Job j) {
    long done = j.runs().stream().filter(r -> ended(r.state())).count();
    long running =
        j.runs().stream()
            .filter(r -> r.state().equals("running") || r.state().equals("assigned"))
            .count();
    return done + "/" + j.repeat() + " done" + (running > 0 ? ", " + running + " running" : "");
  }

  /** The first pending run's queue position and reason. */
  static String waiting(Job j) {
    return j.runs().stream()
        .filter(r -> r.state().equals("pending") && r.queuePosition() != null)
        .findFirst()
        .map(r -> "#" + r.queuePosition() + " " + r.waitReason())
        .orElse("");
  }

  static void detail(Job j, PrintWriter out, Style s) {
    Details d = new Details(out);
    d.line("Job", j.id(), " (", j.name(), ")");
    d.line("State", s.state(j.state()), j.exitCode() == null ? "" : ", exit code " + j.exitCode());
    d.line("User", j.user());
    d.line("Machine type", j.machineType());
    d.line("Image", j.image());
    // Where the runs saw it, as their agents reported: a host directory on process nodes.
    String volumeAt =
        j.runs().stream()
            .map(Run::volumeDir)
            .filter(java.util.Objects::nonNull)
            .distinct()
            .collect(Collectors.joining(", "));
    d.line(
        "Volume",
        j.volume() == null
            ? "-"
            : j.volume() + " at " + (volumeAt.isEmpty() ? "/home/linuxbrew" : volumeAt));
    d.line("Command", j.command().stream().map(JobViews::quote).collect(Collectors.joining(" ")));
    d.line(
        "Runs",
        j.repeat()
            + " (at most "
            + j.parallel()
            + " at once"
            + (j.retries() > 0 ? ", requeued up to " + j.retries() + " time(s) on node loss" : "")
            + ")");
    if (j.reason() != null) {
      d.line("Reason", j.reason());
    }
    d.line("Submitted", time(j.createdAt()));
    Table t =
        new Table("RUN", "STATE", "NODE", "GPUS", "STARTED", "FINISHED", "EXIT", "ATTEMPT", "NOTE");
    for (Run r : j.runs()) {
      String note =
          r.state().equals("pending") && r.queuePosition() != null
              ? "queue #" + r.queuePosition() + ": " + r.waitReason()
              : r.reason();
      t.row(
          r.index(),
          s.state(r.state()),
          r.node(),
          r.gpus() == null || r.gpus().isEmpty() ? "-" : gpus(r),
          time(r.startedAt()),
          time(r.finishedAt()),
          r.exitCode(),
          r.attempt(),
          note);
    }
    t.print(out, s);
  }

  static boolean ended(String state) {
    return state.equals("succeeded") || state.equals("failed") || state.equals("cancelled");
  }

  private static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_./=:,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}
