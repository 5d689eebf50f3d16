package dev.ocean.cli.daemon;

import dev.ocean.cli.base.CliContext;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Asks the daemon from a JVM: what {@code ocean daemon status|stop} do when the native client did
 * not reach a daemon (none running, or {@code OCEAN_NO_DAEMON=1}).
 */
final class DaemonClient {
  private DaemonClient() {}

  /**
   * Sends {@code args} to the daemon at {@code where} and prints its answer; returns the exit code,
   * or null when no daemon answers there.
   */
  static Integer relay(CliContext ctx, DaemonSocket where, String... args) {
    SocketChannel ch;
    try {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(where.socket()));
    } catch (IOException e) {
      return null;
    }
    try (ch) {
      OutputStream out = ChannelStreams.out(ch);
      Frames.write(out, Frames.CODESET, "UTF-8".getBytes(StandardCharsets.US_ASCII));
      for (String arg : args) {
        Frames.write(out, Frames.ARG, arg.getBytes(StandardCharsets.UTF_8));
      }
      Frames.write(out, Frames.CWD, ctx.cwd().toString().getBytes(StandardCharsets.UTF_8));
      Frames.write(out, Frames.TTY, new byte[7]);
      Frames.write(out, Frames.GO, new byte[0]);
      DataInputStream in = new DataInputStream(new BufferedInputStream(ChannelStreams.in(ch)));
      while (true) {
        Frames.Frame f = Frames.read(in);
        String text = new String(f.payload(), StandardCharsets.UTF_8);
        switch (f.type()) {
          case Frames.STDOUT -> ctx.out().print(text);
          case Frames.STDERR -> ctx.err().print(text);
          case Frames.EXIT -> {
            ctx.out().flush();
            ctx.err().flush();
            return f.intValue();
          }
          default -> {
            return null;
          }
        }
      }
    } catch (IOException e) {
      return null;
    }
  }
}
