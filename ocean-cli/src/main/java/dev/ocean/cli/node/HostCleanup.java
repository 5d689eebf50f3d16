package dev.ocean.cli.node;

import dev.ocean.common.api.node.JoinToken;

/** What a failed node add must remove from the host; emptied as each part is kept. */
final class HostCleanup {
  final String sudo;
  volatile String prefix = "";
  volatile String state = "";
  volatile String tmp = "";
  volatile String pid = "";
  volatile boolean unit;
  volatile JoinToken token;

  HostCleanup(String sudo) {
    this.sudo = sudo;
  }

  private boolean done;

  synchronized void run(SshHost ssh) {
    if (tmp.isEmpty() || done) {
      return;
    }
    done = true;
    try {
      ssh.script(sudo, RemoteScripts.CLEAN_UP, pid, unit ? "1" : "0", prefix, state, tmp);
    } catch (RuntimeException e) {
      // the error that made us clean up is the one to report
    }
  }
}
