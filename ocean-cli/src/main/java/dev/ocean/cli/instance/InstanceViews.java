package dev.ocean.cli.instance;

import static dev.ocean.cli.base.BaseCommand.time;

import dev.ocean.cli.base.Details;
import dev.ocean.cli.base.Style;
import dev.ocean.cli.base.Table;
import dev.ocean.common.api.instance.Instance;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** The human forms of instances: the list table and the detail view. */
final class InstanceViews {
  private InstanceViews() {}

  static void table(
      List<Instance> instances, boolean withUser, boolean wide, PrintWriter out, Style s) {
    Table t =
        new Table(
            "NAME", "USER", "STATE", "MACHINE TYPE", "IMAGE", "NODE", "GPUS", "AGE", "SSH", "NOTE");
    Instant now = Instant.now();
    for (Instance i : instances) {
      t.row(
          i.name(),
          i.user(),
          s.state(i.state()),
          i.machineType(),
          i.image(),
          i.node() == null ? "-" : i.node(),
          gpus(i),
          age(i.createdAt(), now),
          i.sshCommand() == null ? "-" : i.sshCommand(),
          note(i));
    }
    if (!withUser) {
      t.hide("USER");
    }
    if (!wide) {
      t.hide("NODE").hide("GPUS").hide("AGE");
    }
    t.print(out, s);
  }

  /** Why it waits (with its queue place), stopped or failed; empty while running. */
  static String note(Instance i) {
    String why = i.stateReason() == null ? "" : i.stateReason();
    return i.queuePosition() == null ? why : "#" + i.queuePosition() + " " + why;
  }

  static void detail(Instance i, String hostKeyFingerprint, PrintWriter out, Style s) {
    Details d = new Details(out);
    d.line("Instance", i.name());
    d.line("State", s.state(i.state()), i.stateReason() == null ? "" : ": " + i.stateReason());
    if (i.queuePosition() != null) {
      d.line("Queue", "#" + i.queuePosition() + " in the FIFO queue with jobs");
    }
    d.line("User", i.user());
    d.line("Machine type", i.machineType());
    d.line(
        "Quota",
        "holds 1 unit of quota " + i.machineType() + " until deleted (also while stopped)");
    d.line("Image", i.image());
    d.line(
        "Volume", i.volume() == null ? "- (nothing persists)" : i.volume() + " at /home/linuxbrew");
    if (i.reason() != null) {
      d.line("Reason", i.reason());
    }
    d.line("Node", i.node(), i.gpus().isEmpty() ? "" : " (GPUs " + gpus(i) + ")");
    // running with an address but no port: the agent said the image lacks that service
    boolean reached = "running".equals(i.state()) && i.address() != null;
    if (i.sshCommand() != null) {
      d.line("SSH", i.sshCommand());
      d.line("", "or: ocean instance ssh " + i.name());
    } else if (reached) {
      d.line("SSH", "none: no sshd in this image");
    }
    if (i.editorUrl() == null && reached) {
      d.line("Editor", "none: no code-server in this image");
    }
    if (i.editorUrl() != null) {
      d.line(
          "Editor",
          i.editorUrl(),
          " (password in ~/.code/config.yaml: ocean instance ssh "
              + i.name()
              + " -- cat .code/config.yaml)");
    }
    if (hostKeyFingerprint != null) {
      d.line("Host key", hostKeyFingerprint);
    }
    if (i.idle() != null && i.idle().summary() != null) {
      d.line("Idle stop", i.idle().summary());
    }
    d.line("Created", time(i.createdAt()));
    d.line("Started", time(i.startedAt()));
    if (i.stoppedAt() != null) {
      d.line("Stopped", time(i.stoppedAt()));
    }
  }

  static String gpus(Instance i) {
    return i.gpus() == null || i.gpus().isEmpty()
        ? "-"
        : i.gpus().stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** e.g. {@code 3d}, {@code 5h}, {@code 12m}. */
  static String age(Instant since, Instant now) {
    if (since == null) {
      return "-";
    }
    Duration d = Duration.between(since, now);
    if (d.toDays() > 0) {
      return d.toDays() + "d";
    }
    if (d.toHours() > 0) {
      return d.toHours() + "h";
    }
    return Math.max(0, d.toMinutes()) + "m";
  }
}
