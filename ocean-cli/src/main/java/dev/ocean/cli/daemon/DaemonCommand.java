package dev.ocean.cli.daemon;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Group;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;

/**
 * {@code ocean daemon status|stop}: the resident process behind the native client that makes {@code
 * ocean} answer in milliseconds. The daemon answers both itself; run by a JVM (no daemon reachable,
 * or {@code OCEAN_NO_DAEMON=1}) they ask it over its socket.
 */
@Command(
    name = "daemon",
    description = "The resident process that makes ocean answer in milliseconds.",
    subcommands = {DaemonCommand.Status.class, DaemonCommand.Stop.class, DaemonCommand.Serve.class})
public final class DaemonCommand extends Group {

  @Command(name = "status", description = "Show the daemon's pid, uptime, requests and socket.")
  public static final class Status extends BaseCommand {
    @Override
    public Integer call() {
      Integer code =
          json()
              ? DaemonClient.relay(ctx(), socket(ctx()), "daemon", "status", "-o", "json")
              : DaemonClient.relay(ctx(), socket(ctx()), "daemon", "status");
      if (code == null) {
        throw new CliException(ExitCodes.NOT_FOUND, "no ocean daemon is running");
      }
      return code;
    }
  }

  @Command(name = "stop", description = "Stop the daemon; the next command starts a new one.")
  public static final class Stop extends BaseCommand {
    @Override
    public Integer call() {
      Integer code = DaemonClient.relay(ctx(), socket(ctx()), "daemon", "stop");
      if (code == null) {
        info("No ocean daemon is running.");
        return 0;
      }
      return code;
    }
  }

  /** Run by the native client, detached, when no daemon answered. */
  @Command(
      name = "serve",
      hidden = true,
      description = "Serve as the daemon (the client starts it).")
  public static final class Serve extends BaseCommand {
    @Override
    public Integer call() throws IOException {
      DaemonSocket where = socket(ctx());
      String raw = ctx().env("OCEAN_DAEMON_IDLE_SECONDS");
      long idle;
      try {
        idle = raw == null ? 600 : Long.parseLong(raw.strip());
      } catch (NumberFormatException e) {
        idle = -1;
      }
      if (idle <= 0) {
        throw new CliException(
            ExitCodes.USAGE,
            "OCEAN_DAEMON_IDLE_SECONDS must be a whole number of seconds such as 600, not '"
                + raw
                + "'");
      }
      PrintWriter log = ctx().err();
      new Daemon(where, Duration.ofSeconds(idle)).serve(log);
      return 0;
    }
  }

  private static DaemonSocket socket(dev.ocean.cli.base.CliContext ctx) {
    try {
      return DaemonSocket.locate(ctx.env());
    } catch (IllegalStateException e) {
      throw new CliException(ExitCodes.ERROR, "no ocean daemon here: " + e.getMessage());
    }
  }
}
