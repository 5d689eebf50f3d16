package dev.ocean.cli.node;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.client.OceanClient;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "top", description = "Live view of nodes and GPUs; q or Ctrl-C quits.")
public final class TopCommand extends BaseCommand {
  private static final String ALT_SCREEN_ON = "\u001B[?1049h\u001B[?25l";
  private static final String ALT_SCREEN_OFF = "\u001B[?25h\u001B[?1049l";
  private static final String HOME_CLEAR = "\u001B[H\u001B[2J";

  @Option(names = "--once", description = "Print one frame and exit.")
  boolean once;

  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      defaultValue = "2",
      description = "Seconds between refreshes (default ${DEFAULT-VALUE}).")
  int interval;

  @Override
  public Integer call() throws Exception {
    if (interval < 1 || interval > 3600) {
      throw new dev.ocean.cli.base.CliException(
          dev.ocean.cli.base.ExitCodes.USAGE,
          "--interval must be between 1 and 3600 seconds, not " + interval);
    }
    OceanClient client = client();
    if (json()) {
      printJson(client.get("/nodes", NodeCommand.LIST));
      return 0;
    }
    if (once || !ctx().stdoutIsTerminal()) {
      out().print(frame(client));
      out().flush();
      return 0;
    }
    String saved = stty("-g");
    CountDownLatch quit = new CountDownLatch(1);
    Thread restore = new Thread(() -> restore(saved));
    Runtime.getRuntime().addShutdownHook(restore);
    try {
      stty("-icanon", "-echo", "min", "1");
      out().print(ALT_SCREEN_ON);
      Thread keys = Thread.ofVirtual().start(() -> waitForQuit(ctx().stdin(), quit));
      do {
        out().print(HOME_CLEAR + frame(client).replace("\n", "\r\n"));
        out().flush();
      } while (!quit.await(Math.max(1, interval), TimeUnit.SECONDS));
      keys.interrupt();
    } finally {
      restore(saved);
      Runtime.getRuntime().removeShutdownHook(restore);
    }
    return 0;
  }

  private String frame(OceanClient client) {
    List<Node> nodes = client.get("/nodes", NodeCommand.LIST);
    return TopFrame.render(nodes, Instant.now(), style());
  }

  private static void waitForQuit(InputStream in, CountDownLatch quit) {
    try {
      int c;
      while ((c = in.read()) != -1) {
        if (c == 'q' || c == 'Q' || c == 3) {
          break;
        }
      }
    } catch (IOException ignored) {
      // the terminal went away: quit as well
    }
    quit.countDown();
  }

  private void restore(String saved) {
    out().print(ALT_SCREEN_OFF);
    out().flush();
    if (saved != null && !saved.isBlank()) {
      stty(saved.strip());
    }
  }

  /** Runs stty on the controlling terminal (argv only, no shell); null when there is none. */
  private static String stty(String... args) {
    File tty = new File("/dev/tty");
    if (!tty.exists()) {
      return null;
    }
    try {
      String[] argv = new String[args.length + 1];
      argv[0] = "stty";
      System.arraycopy(args, 0, argv, 1, args.length);
      Process p = new ProcessBuilder(argv).redirectInput(tty).redirectErrorStream(true).start();
      String outText = new String(p.getInputStream().readAllBytes());
      return p.waitFor() == 0 ? outText : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
