package dev.ocean.cli.base;

/**
 * A command that follows or waits can be ended with Ctrl-C; the job or instance it watches goes on.
 * {@link #saying} says so, with how to stop that too, if the process ends while it runs.
 */
public final class OnInterrupt {
  private OnInterrupt() {}

  /** A body that may be interrupted. */
  @FunctionalInterface
  public interface Body<T, E extends Exception> {
    T run() throws E;
  }

  /** Runs {@code body}; should the process end meanwhile (Ctrl-C), {@code notice} runs first. */
  public static <T, E extends Exception> T saying(Runnable notice, Body<T, E> body) throws E {
    Thread hook = new Thread(notice);
    boolean hooked = false;
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      hooked = true;
    } catch (IllegalStateException e) {
      // already shutting down: nothing to add
    }
    try {
      return body.run();
    } finally {
      if (hooked) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutting down: the notice is said
        }
      }
    }
  }
}
