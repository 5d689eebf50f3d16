package dev.ocean.common.client;

import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.HttpUrl;

/** Warns, once per process, when a credential is about to travel over plain HTTP off this host. */
public final class PlainHttpWarning {
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private PlainHttpWarning() {}

  /**
   * Whether sending a credential to {@code url} exposes it: plain HTTP to a host other than this
   * machine (a literal loopback address or {@code localhost}).
   */
  static boolean exposesCredential(HttpUrl url) {
    return exposesCredential(url.isHttps(), url.host());
  }

  private static boolean exposesCredential(boolean https, String host) {
    if (https) {
      return false;
    }
    return !(host.equals("localhost")
        || host.endsWith(".localhost")
        || host.startsWith("127.")
        || host.equals("::1")
        || host.equals("0:0:0:0:0:0:0:1"));
  }

  static void warnOnceIfPlainHttp(HttpUrl url) {
    warnOnceIfPlainHttp(url.isHttps(), url.host());
  }

  /** As for an OkHttp URL, for a request to {@code host} over https or not (the agent's client). */
  public static void warnOnceIfPlainHttp(boolean https, String host) {
    // Once per process, so once per CLI command however many clients it makes.
    if (exposesCredential(https, host) && !WARNED.getAndSet(true)) {
      System.err.println(
          "warning: sending your token over plain HTTP to "
              + host
              + "; anyone on the network can read it (use an https:// server address)");
    }
  }
}
