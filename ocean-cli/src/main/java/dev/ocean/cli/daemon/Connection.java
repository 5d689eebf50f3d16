package dev.ocean.cli.daemon;

import dev.ocean.cli.Cli;
import dev.ocean.cli.base.CliContext;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request on the daemon's socket: reads what the client sent (arguments, environment, working
 * directory, terminal), then runs the command with a context built from it, relaying its output and
 * asking for input as the command reads; or answers "run it yourself". When the client goes away
 * (Ctrl-C) the command is interrupted.
 */
final class Connection implements Runnable {
  /** The most a request may carry: arguments, environment and working directory together. */
  private static final int MAX_REQUEST = 8 << 20;

  private final SocketChannel channel;
  private final Daemon daemon;

  Connection(SocketChannel channel, Daemon daemon) {
    this.channel = channel;
    this.daemon = daemon;
  }

  /** What the client sent before {@link Frames#GO}. */
  private record Request(
      String[] args,
      Map<String, String> env,
      Path cwd,
      boolean stdinTty,
      boolean stdoutTty,
      String codeset) {}

  @Override
  public void run() {
    try {
      serve();
    } finally {
      daemon.finished();
    }
  }

  private void serve() {
    try (channel) {
      if (!daemon.samePeer(channel)) {
        return;
      }
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(ChannelStreams.in(channel), 64 * 1024));
      OutputStream out = new BufferedOutputStream(ChannelStreams.out(channel), 64 * 1024);
      Request request = read(in);
      Cli.Parsed parsed = Cli.parse(request.args());
      Charset charset = charset(request.codeset());
      if (charset == null
          || !Served.served(parsed, request.env())
          || Served.namesCallersFiles(request.args())
          || damaged(request.args())) {
        Frames.write(out, Frames.RUN_JVM, new byte[0]);
        return;
      }
      String command = parsed == null ? "" : parsed.command();
      int code;
      if (command.equals("ocean daemon status") && !parsed.help()) {
        code = answer(out, daemon.status(parsed.json()));
      } else if (command.equals("ocean daemon stop") && !parsed.help()) {
        String said = "Stopped the ocean daemon (pid " + ProcessHandle.current().pid() + ").\n";
        Frames.write(out, Frames.STDERR, said.getBytes(StandardCharsets.UTF_8));
        code = 0;
        daemon.stop("asked to stop (ocean daemon stop)");
      } else {
        code = run(request, charset, in, out);
      }
      synchronized (out) {
        Frames.write(out, Frames.EXIT, Frames.ofInt(code));
      }
    } catch (IOException e) {
      // the client went away or spoke nonsense: nothing to answer
    }
  }

  private static int answer(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0) {
      Frames.write(out, Frames.STDOUT, bytes);
    }
    return 0;
  }

  private int run(Request request, Charset charset, DataInputStream in, OutputStream out)
      throws IOException {
    StdinOnDemand stdin = new StdinOnDemand(out);
    PrintWriter stdout =
        new dev.ocean.cli.base.ByteWriter(new FramedOutput(out, Frames.STDOUT), true, charset);
    PrintWriter stderr = new PrintWriter(new FramedOutput(out, Frames.STDERR), true, charset);
    CliContext ctx =
        new CliContext(
            request.env(),
            stdin,
            stdout,
            stderr,
            null,
            request.stdinTty() && request.stdoutTty(),
            request.cwd(),
            daemon.clients().forRequest(stderr));
    Thread worker = Thread.currentThread();
    Object done = new Object();
    boolean[] finished = {false};
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                while (true) {
                  Frames.Frame f = Frames.read(in);
                  if (f.type() == Frames.STDIN) {
                    stdin.arrived(f.payload());
                  }
                }
              } catch (IOException e) {
                synchronized (done) {
                  if (!finished[0]) {
                    worker.interrupt();
                  }
                }
              }
            });
    daemon.served();
    try {
      synchronized (out) {
        Frames.write(out, Frames.BEGUN, new byte[0]);
      }
      return Cli.run(ctx, request.args());
    } finally {
      synchronized (done) {
        finished[0] = true;
      }
      // Not listener.interrupt(): that would close the channel before the exit code is sent.
      // The listener ends when the channel closes after it.
      Thread.interrupted();
    }
  }

  private static Request read(DataInputStream in) throws IOException {
    List<String> args = new ArrayList<>();
    Map<String, String> env = new HashMap<>();
    Path cwd = null;
    boolean stdinTty = false;
    boolean stdoutTty = false;
    String codeset = null;
    Charset decode = StandardCharsets.UTF_8; // the client sends its codeset first
    long total = 0;
    while (true) {
      Frames.Frame f = Frames.read(in);
      total += f.payload().length + 5L;
      if (total > MAX_REQUEST) {
        throw new IOException("the request is over " + MAX_REQUEST + " bytes");
      }
      String text = new String(f.payload(), decode);
      switch (f.type()) {
        case Frames.ARG -> args.add(text);
        case Frames.ENV -> {
          int eq = text.indexOf('=');
          if (eq > 0) {
            env.put(text.substring(0, eq), text.substring(eq + 1));
          }
        }
        case Frames.CWD -> cwd = Path.of(text);
        case Frames.TTY -> {
          if (f.payload().length >= 7) {
            stdinTty = f.payload()[0] != 0;
            stdoutTty = f.payload()[1] != 0;
            ByteBuffer.wrap(f.payload(), 3, 4).getInt(); // width: nothing lays out by it yet
          }
        }
        case Frames.CODESET -> {
          codeset = new String(f.payload(), StandardCharsets.US_ASCII);
          Charset named = charset(codeset);
          decode = named == null ? decode : named;
        }
        case Frames.GO -> {
          if (cwd == null || !cwd.isAbsolute()) {
            throw new IOException("the request has no absolute working directory");
          }
          return new Request(
              args.toArray(String[]::new), Map.copyOf(env), cwd, stdinTty, stdoutTty, codeset);
        }
        default -> throw new IOException("unexpected frame '" + (char) f.type() + "'");
      }
    }
  }

  /** An argument that is no text in the caller's codeset: the JVM path refuses it clearly. */
  static boolean damaged(String[] args) {
    for (String arg : args) {
      if (arg.indexOf('\uFFFD') >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The character set a JVM started by the caller would print in: its C library's codeset for the
   * caller's locale, as the JVM takes it; null when this JVM does not know it.
   */
  static Charset charset(String codeset) {
    if (codeset == null || codeset.isEmpty()) {
      return null;
    }
    try {
      Charset named = Charset.forName(codeset);
      // the C and POSIX locales: UTF-8, as the JVM path reads arguments and prints (Argv)
      return named.equals(StandardCharsets.US_ASCII) ? StandardCharsets.UTF_8 : named;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
