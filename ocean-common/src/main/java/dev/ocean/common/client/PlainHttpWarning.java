package dev.ocean.common.client;

import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.HttpUrl;

/** Warns, once per process, when a credential is about to travel over plain HTTP off this host. */
final class PlainHttpWarning {
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private PlainHttpWarning() {}

  /**
   * Whether sending a credential to {@code url} exposes it: plain HTTP to a host other than this
   * machine (a literal loopback address or {@code localhost}).
   */
  static boolean exposesCredential(HttpUrl url) {
    if (url.isHttps()) {
      return false;
    }
    String host = url.host();
    return !(host.equals("localhost")
        || host.endsWith(".localhost")
        || host.startsWith("127.")
        || host.equals("::1")
        || host.equals("0:0:0:0:0:0:0:1"));
  }

  static void warnOnceIfPlainHttp(HttpUrl url) {
    // Once per process, so once per CLI command however many clients it makes.
    if (exposesCredential(url) && !WARNED.getAndSet(true)) {
      System.err.println(
          "warning: sending your token over plain HTTP to "
              + url.host()
              + "; anyone on the network can read it (use an https:// server address)");
    }
  }
}
