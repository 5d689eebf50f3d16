package dev.ocean.server.dist;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The URL that the served install script names as its server. A request's Host header is anyone's
 * choice (and a cache in front may keep the answer for others), so it is used only when it names
 * this machine and the port the request arrived on; otherwise the address the request arrived on.
 */
final class ServedUrl {
  /** A name or address, an optional port: nothing else may be written into a shell script. */
  private static final Pattern HOST =
      Pattern.compile("([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?");

  private ServedUrl() {}

  static String of(Context ctx) {
    String scheme = ctx.scheme();
    int port = ctx.req().getLocalPort();
    String host = ctx.host();
    Matcher m = host == null ? null : HOST.matcher(host);
    if (m != null && m.matches()) {
      int given =
          m.group(2) != null ? Integer.parseInt(m.group(2)) : "https".equals(scheme) ? 443 : 80;
      if (given == port && isThisMachine(m.group(1))) {
        return scheme + "://" + host;
      }
    }
    String local = ctx.req().getLocalAddr();
    return scheme + "://" + (local.contains(":") ? "[" + local + "]" : local) + ":" + port;
  }

  private static boolean isThisMachine(String name) {
    String bare = name.startsWith("[") ? name.substring(1, name.length() - 1) : name;
    try {
      for (InetAddress a : InetAddress.getAllByName(bare)) {
        if (a.isLoopbackAddress()
            || a.isAnyLocalAddress()
            || NetworkInterface.getByInetAddress(a) != null) {
          return true;
        }
      }
    } catch (UnknownHostException | SocketException e) {
      return false;
    }
    return false;
  }
}
