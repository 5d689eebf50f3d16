package dev.ocean.cli.node;

/**
 * The POSIX shell scripts {@code ocean node add} runs on a host, each fed on standard input to
 * {@code sh -s} with its arguments quoted; the join token only ever travels in a 0600 file.
 */
final class RemoteScripts {
  private RemoteScripts() {}

  /** What the host is: user id, home, name, and whether systemd, Java and sudo are there. */
  static final String PROBE =
      """
      echo "uid=$(id -u)"
      echo "home=$HOME"
      echo "host=$(hostname 2>/dev/null || uname -n)"
      if [ -d /run/systemd/system ]; then echo systemd=1; else echo systemd=0; fi
      if command -v java >/dev/null 2>&1 || [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
        echo java=1; else echo java=0; fi
      if command -v sudo >/dev/null 2>&1; then echo sudo=1; else echo sudo=0; fi
      """;

  /**
   * Args: prefix, state dir. Whether they exist (else the topmost directory of each that does not,
   * which a failed add removes with everything under it), and free KiB where they and /tmp would
   * go.
   */
  static final String SPACE =
      """
      top() { t=$1; p=$(dirname "$t"); while [ ! -e "$p" ]; do t=$p; p=$(dirname "$t"); done; echo "$t"; }
      d=$1; while [ ! -d "$d" ]; do d=$(dirname "$d"); done
      if [ -e "$1" ]; then echo prefix_exists=1; else echo prefix_exists=0; echo "prefix_top=$(top "$1")"; fi
      if [ -e "$2" ]; then echo state_exists=1; else echo state_exists=0; echo "state_top=$(top "$2")"; fi
      echo "free_dir=$d"
      echo "free=$(df -Pk "$d" | awk 'NR==2{print $4}')"
      echo "tmp_free=$(df -Pk /tmp | awk 'NR==2{print $4}')"
      """;

  /** Args: account name. Whether the account exists on the host. */
  static final String ACCOUNT =
      """
      if id -u -- "$1" >/dev/null 2>&1; then echo exists=1; else echo exists=0; fi
      """;

  /** Args: prefix, tarball, CA file or empty. Unpacks the release into the prefix. */
  static final String INSTALL =
      """
      set -e
      mkdir -p "$1"
      tar -xzf "$2" -C "$1"
      if [ -n "$3" ]; then mkdir -p "$1/etc"; cp "$3" "$1/etc/ca.pem"; chmod 644 "$1/etc/ca.pem"; fi
      test -x "$1/bin/ocean-agent"
      """;

  /**
   * Args: state dir, then the agent's command line. Starts {@code ocean-agent join} in the
   * background with nohup, its output in STATE/agent.log, and prints its process id.
   */
  static final String START_NOHUP =
      """
      state=$1; shift
      umask 077
      mkdir -p "$state"
      chmod 700 "$state"
      cd /
      nohup "$@" >"$state/agent.log" 2>&1 </dev/null &
      echo $! >"$state/agent.pid"
      echo "pid=$!"
      """;

  /** Args: process id. Exits 0 while that process runs. */
  static final String ALIVE = "kill -0 \"$1\" 2>/dev/null\n";

  /** Args: state dir. The agent log's last lines. */
  static final String LOG_TAIL = "tail -n 20 \"$1/agent.log\" 2>/dev/null\n";

  /**
   * Args: pid or empty, 1 when a unit was installed, prefix to remove or empty, state dir to remove
   * or empty, temp dir. Undoes what a failed add left behind.
   */
  static final String CLEAN_UP =
      """
      if [ -n "$1" ] && kill "$1" 2>/dev/null; then
        i=0; while kill -0 "$1" 2>/dev/null && [ $i -lt 10 ]; do sleep 1; i=$((i+1)); done
        kill -9 "$1" 2>/dev/null
      fi
      if [ "$2" = 1 ]; then
        systemctl disable --now ocean-agent.service >/dev/null 2>&1
        rm -f /etc/systemd/system/ocean-agent.service
        systemctl daemon-reload >/dev/null 2>&1
      fi
      if [ -n "$3" ]; then rm -rf "$3"; fi
      if [ -n "$4" ]; then rm -rf "$4"; fi
      rm -rf "$5"
      true
      """;
}
