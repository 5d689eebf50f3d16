package dev.ocean.cli.node;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import java.util.Map;

/**
 * What must hold on a host before {@code ocean node add} changes anything there: sudo without a
 * password for a user other than root, an absolute prefix, room for the release, and a node name
 * from the host name.
 */
final class HostChecks {
  private HostChecks() {}

  static void sudo(SshHost ssh, NodeInstaller.Request r, Map<String, String> probe) {
    if ("0".equals(probe.get("sudo"))) {
      throw new CliException(
          ExitCodes.FORBIDDEN,
          r.user()
              + " is not root on "
              + r.host()
              + " and sudo is not installed there; log in as"
              + " root");
    }
    SshHost.Result s = ssh.exec("sudo -n true", null);
    if (s.exit() != 0) {
      throw new CliException(
          ExitCodes.FORBIDDEN,
          s.err().contains("password")
              ? "sudo on "
                  + r.host()
                  + " needs a password; allow "
                  + r.user()
                  + " passwordless sudo (NOPASSWD) or log in as root"
              : r.user() + " may not use sudo on " + r.host() + ": " + s.firstErrorLine());
    }
  }

  static String prefix(NodeInstaller.Request r, boolean root, String home) {
    String p = r.prefix();
    if (p == null) {
      return root ? "/opt/ocean" : home + "/.local/lib/ocean";
    }
    if (p.startsWith("~/")) {
      p = home + p.substring(1);
    }
    if (!p.startsWith("/")) {
      throw new CliException(ExitCodes.USAGE, "--prefix must be an absolute path, not '" + p + "'");
    }
    return p;
  }

  static void space(String host, Map<String, String> space, long size) {
    long free = kib(space.get("free"));
    long tmp = kib(space.get("tmp_free"));
    if (free >= 0 && free * 1024 < 2 * size) {
      throw new CliException(
          ExitCodes.ERROR,
          "no space on "
              + host
              + ": "
              + space.get("free_dir")
              + " has "
              + Progress.mib(free * 1024)
              + " free and the release needs "
              + Progress.mib(2 * size));
    }
    if (tmp >= 0 && tmp * 1024 < size + (1 << 20)) {
      throw new CliException(
          ExitCodes.ERROR,
          "no space on " + host + ": /tmp has " + Progress.mib(tmp * 1024) + " free");
    }
  }

  private static long kib(String v) {
    try {
      return Long.parseLong(v.strip());
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** The host's name as a node name: lower case, up to the first dot, '-' for other signs. */
  static String nodeName(String hostname, String host) {
    String n = hostname == null ? "" : hostname.strip().toLowerCase(java.util.Locale.ROOT);
    n = n.replaceFirst("\\..*$", "").replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
    if (n.isEmpty() || n.length() > 63) {
      throw new CliException(
          ExitCodes.USAGE,
          "the host name of " + host + " ('" + hostname + "') is no node name; pass --name N");
    }
    return n;
  }

  /**
   * Refuses a name an existing node has: waiting for it to be ready would find the old node at once
   * and call a new agent that could not join a success.
   */
  static void nameFree(OceanClient client, String name) {
    Node taken;
    try {
      taken = client.get("/nodes/" + OceanClient.segment(name), Node.class);
    } catch (OceanApiException e) {
      if (e.status() == 404) {
        return;
      }
      throw e;
    }
    throw new CliException(
        ExitCodes.CONFLICT,
        "node "
            + name
            + " already exists ("
            + taken.state()
            + "); pick another --name, or remove it first with `ocean admin node remove "
            + name
            + "`");
  }

  /** Refuses a --run-as account the host lacks before the release is copied (a minute). */
  static void runAs(SshHost ssh, NodeInstaller.Request r) {
    if (r.runAs() == null) {
      return;
    }
    Map<String, String> v = ssh.values("", RemoteScripts.ACCOUNT, "account check", r.runAs());
    if (!"1".equals(v.get("exists"))) {
      throw new CliException(
          ExitCodes.ERROR, "--run-as " + r.runAs() + ": no such account on " + r.host());
    }
  }
}
