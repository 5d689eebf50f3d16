package dev.ocean.cli.base;

import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Notices that standard output's reader went away while nothing is written: {@code ocean logs -f J
 * | grep -m1 epoch} must end when grep does, even if the job then prints nothing for an hour. A
 * write would tell (EPIPE), but a quiet follow never writes; {@code poll(2)} on the pipe's write
 * end reports POLLERR as soon as its last reader closed, as {@code tail -f} uses it. The process
 * then ends at once with {@link OutputClosed#EXIT}, silently, as after SIGPIPE.
 *
 * <p>Only for this process's own standard output ({@link CliContext#system()}); a command the CLI
 * daemon serves writes to its client's socket instead, which the daemon watches itself.
 */
public final class ReaderWatch {
  private static final short POLLERR = 0x8;
  private static final short POLLHUP = 0x10;
  private static final int EVERY_MILLIS = 500;

  private ReaderWatch() {}

  /** Starts watching when {@code out} is this process's standard output; else does nothing. */
  public static void start(PrintWriter out) {
    if (!(out instanceof ByteWriter w) || !w.isProcessStdout()) {
      return;
    }
    MethodHandle poll = poll();
    if (poll == null) {
      return; // no poll(2) here: a closed pipe is still noticed at the next write
    }
    Thread.ofPlatform().daemon().name("ocean-reader-watch").start(() -> watch(poll));
  }

  /** Whether this process's standard output is a pipe or socket whose reader went away. */
  public static boolean readerGone() {
    MethodHandle poll = poll();
    try {
      return poll != null && gone(poll, 0);
    } catch (Throwable e) {
      return false;
    }
  }

  private static MethodHandle poll() {
    try {
      Linker linker = Linker.nativeLinker();
      return linker.downcallHandle(
          linker.defaultLookup().find("poll").orElseThrow(),
          FunctionDescriptor.of(
              ValueLayout.JAVA_INT,
              ValueLayout.ADDRESS,
              ValueLayout.JAVA_LONG,
              ValueLayout.JAVA_INT));
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static void watch(MethodHandle poll) {
    try {
      while (true) {
        if (gone(poll, EVERY_MILLIS)) {
          // no shutdown hooks: "stopped following" is for Ctrl-C, not for a reader that is done
          Runtime.getRuntime().halt(OutputClosed.EXIT);
        }
      }
    } catch (Throwable e) {
      // the watch is a courtesy: without it a closed pipe is noticed at the next write
    }
  }

  /** Polls fd 1 for up to {@code millis}: whether its reader went away (POLLERR or POLLHUP). */
  private static boolean gone(MethodHandle poll, int millis) throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      // struct pollfd { int fd; short events; short revents; }: fd 1, no events asked for, since
      // POLLERR and POLLHUP are always reported
      MemorySegment fds = arena.allocate(8, 4);
      fds.set(ValueLayout.JAVA_INT, 0, 1);
      fds.set(ValueLayout.JAVA_SHORT, 4, (short) 0);
      fds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
      int ready = (int) poll.invokeExact(fds, 1L, millis);
      if (ready < 0 && millis > 0) {
        Thread.sleep(millis); // EINTR and the like: look again later
      }
      short revents = fds.get(ValueLayout.JAVA_SHORT, 6);
      return ready > 0 && (revents & (POLLERR | POLLHUP)) != 0;
    }
  }
}
