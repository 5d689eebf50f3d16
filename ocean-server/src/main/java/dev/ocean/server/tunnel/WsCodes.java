package dev.ocean.server.tunnel;

import java.nio.charset.StandardCharsets;

/** WebSocket close codes a tunnel passes on, and the limits of a close reason. */
final class WsCodes {
  static final int NORMAL = 1000;
  static final int GOING_AWAY = 1001;
  static final int UNSUPPORTED = 1003;
  static final int FAILED = 1011;

  private WsCodes() {}

  /**
   * A code that may be sent on: one a peer received but may not send (no status, abnormal closure)
   * becomes the nearest one that may.
   */
  static int sendable(int code) {
    if (code == NORMAL
        || code == GOING_AWAY
        || code == UNSUPPORTED
        || (code >= 1007 && code <= FAILED)
        || (code >= 3000 && code <= 4999)) {
      return code;
    }
    if (code == 1005) {
      return NORMAL;
    }
    return code == 1006 ? GOING_AWAY : FAILED;
  }

  /** A close reason fits in 123 bytes of UTF-8. */
  static String reason(String reason) {
    if (reason == null) {
      return null;
    }
    String r = reason;
    while (r.getBytes(StandardCharsets.UTF_8).length > 123) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }
}
