package dev.ocean.cli.job;

import static dev.ocean.cli.base.BaseCommand.time;

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

  static void table(List<Job> jobs, boolean withUser, PrintWriter out, Style s) {
    Table t =
        new Table("ID", "USER", "NAME", "STATE", "RUNS", "MACHINE TYPE", "SUBMITTED", "WAITING");
    for (Job j : jobs) {
      t.row(
          j.id(),
          j.user(),
          j.name(),
          s.state(j.state()),
          runs(j),
          j.machineType(),
          time(j.createdAt()),
          waiting(j));
    }
    if (!withUser) {
      t.hide("USER");
    }
    t.print(out, s);
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
    out.println("Job:           " + j.id() + " (" + j.name() + ")");
    out.println(
        "State:         "
            + s.state(j.state())
            + (j.exitCode() == null ? "" : ", exit code " + j.exitCode()));
    out.println("User:          " + j.user());
    out.println("Machine type:  " + j.machineType());
    out.println("Image:         " + j.image());
    // Where the runs saw it, as their agents reported: a host directory on process nodes.
    String volumeAt =
        j.runs().stream()
            .map(Run::volumeDir)
            .filter(java.util.Objects::nonNull)
            .distinct()
            .collect(Collectors.joining(", "));
    out.println(
        "Volume:        "
            + (j.volume() == null
                ? "-"
                : j.volume() + " at " + (volumeAt.isEmpty() ? "/home/linuxbrew" : volumeAt)));
    out.println(
        "Command:       "
            + j.command().stream().map(JobViews::quote).collect(Collectors.joining(" ")));
    out.println(
        "Runs:          "
            + j.repeat()
            + " (at most "
            + j.parallel()
            + " at once"
            + (j.retries() > 0 ? ", requeued up to " + j.retries() + " time(s) on node loss" : "")
            + ")");
    if (j.reason() != null) {
      out.println("Reason:        " + j.reason());
    }
    out.println("Submitted:     " + time(j.createdAt()));
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
          r.gpus() == null || r.gpus().isEmpty()
              ? "-"
              : r.gpus().stream().map(String::valueOf).collect(Collectors.joining(",")),
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
