package dev.ocean.cli.instance;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The system ssh's stderr, passed through to the user as it comes while watching for ssh's refusal
 * of a host key that is not the pinned one, so {@code ocean instance ssh} can say what it means.
 */
final class SshStderr {
  /** What ssh prints when the key the server presents differs from the known-hosts line. */
  static final String REFUSED = "Host key verification failed";

  /** ssh says it at once: the watch reads only the start of its stderr. */
  private static final int WATCHED = 64 * 1024;

  private final StringBuilder head = new StringBuilder();

  /** Copies {@code from} to {@code to} until ssh closes it. */
  void pump(InputStream from, Writer to) {
    char[] buf = new char[8192];
    try (Reader r = new InputStreamReader(from, StandardCharsets.UTF_8)) {
      int n;
      while ((n = r.read(buf)) >= 0) {
        to.write(buf, 0, n);
        to.flush();
        synchronized (head) {
          if (head.length() < WATCHED) {
            head.append(buf, 0, Math.min(n, WATCHED - head.length()));
          }
        }
      }
    } catch (IOException e) {
      // ssh ended or the terminal went away
    }
  }

  /** Whether ssh exited refusing the instance's host key. */
  boolean hostKeyRefused(int exitCode) {
    synchronized (head) {
      return exitCode == 255 && head.indexOf(REFUSED) >= 0;
    }
  }

  /** Whether ssh exited because the instance refused every key offered. */
  boolean keysRefused(int exitCode) {
    synchronized (head) {
      return exitCode == 255 && head.indexOf("Permission denied (publickey") >= 0;
    }
  }

  /** The Ocean sentence after ssh's own refusal. */
  static String explain(String name) {
    return "The instance answered with another SSH host key than the one the server reported for "
        + name
        + ": if it was just recreated or started again, its new key may not have reached the"
        + " server yet; wait a few seconds and run `ocean instance ssh "
        + name
        + "` again, which pins the key the server reports (ocean instance get "
        + name
        + " shows its fingerprint); otherwise another machine answers on its address.";
  }
}
