#!/bin/sh
# Installs Ocean from a source checkout, an unpacked release, or a server (curl URL/install.sh | sh).
set -eu

# A server that serves this script fills in its own URL here.
OCEAN_DEFAULT_SERVER=''

usage() {
  cat <<'EOF'
Usage: install.sh [cli|server|agent] [OPTIONS]

Installs Ocean (bin/ and lib/) and links its commands; run it again to upgrade in place
(data and credentials are kept).

Roles:
  cli (default)   the ocean command only
  server          also ocean-server, as a systemd service where systemd runs
  agent           also joins this machine as a node: needs --server and a join token
                  (--token-file FILE, --token - for standard input, or OCEAN_JOIN_TOKEN)

Options:
  --prefix DIR        programs in DIR/lib/ocean, commands linked in DIR/bin
                      (default ~/.local; as root /opt/ocean, linked in /usr/local/bin)
  --server URL        the server an agent joins (and where a piped script downloads from)
  --ca-cert FILE      a server on https:// whose certificate is self-signed or from a private
                      CA: that certificate (or the CA's), for the download and the agent
  --token-file FILE   file holding the join token (agent)
  --token -           read the join token from standard input (agent); --token TOKEN works
                      too but shows the token in ps
  --name NAME         node name (agent; default the host name)
  --runtime KIND      docker or process (agent; default docker)
  --run-as USER       process runtime: the account jobs run as (as root, default: a
                      dedicated account ocean-jobs, created if missing)
  --storage DIR       where the shared volume storage is mounted on this node (agent)
  --data DIR          the server's data (default OCEAN_DATA, else /var/lib/ocean as root,
                      else ~/.local/share/ocean); the first admin's password is kept there
  --state-dir DIR     the agent's state (default OCEAN_AGENT_STATE, else /var/lib/ocean-agent
                      as root, else ~/.local/share/ocean-agent)
  --up                after installing the CLI, run `ocean up` and a first job
  --port PORT         with --up: the port the server listens on (passed to ocean up)
  --listen ADDR       with --up: the address the server listens on (default 127.0.0.1)
  --systemd           server: require systemd (refuse where it does not run)
  --unit-dir DIR      server: write the systemd unit into DIR, enable nothing (for an image)
  --uninstall         remove what install.sh installed; data is kept and named
  -h, --help          show this help

Systemd units are written as root where systemd runs (OCEAN_SYSTEMD=no to skip them);
elsewhere install.sh prints how to start the programs by hand.
EOF
}

die() {
  echo "install.sh: $1" >&2
  exit "${2:-1}"
}

# Stops the process named in pid file $1 (SIGTERM, then at most 30 s) and removes the file.
stop_pid() {
  if [ -f "$1" ]; then
    p=$(cat "$1")
    if kill "$p" 2>/dev/null; then
      n=0
      while kill -0 "$p" 2>/dev/null && [ "$n" -lt 60 ]; do sleep 0.5; n=$((n + 1)); done
      kill -9 "$p" 2>/dev/null || true
    fi
    rm -f "$1"
  fi
}

role=cli prefix='' server="$OCEAN_DEFAULT_SERVER" token_file='' token_stdin=no name='' runtime=''
storage='' up=no uninstall=no data='' state_dir='' token_value='' run_as=''
port='' listen='' want_systemd=${OCEAN_SYSTEMD:-auto} unit_dir_arg='' ca_cert=''
while [ $# -gt 0 ]; do
  case "$1" in
    cli | server | agent) role=$1 ;;
    -h | --help) usage; exit 0 ;;
    --uninstall) uninstall=yes ;;
    --up) up=yes ;;
    --systemd) want_systemd=yes ;;
    --prefix | --server | --ca-cert | --token-file | --token | --name | --runtime | --run-as | --storage | --data | --state-dir \
      | --port | --listen | --unit-dir)
      [ $# -ge 2 ] || die "$1 needs a value." 2
      case "$1" in
        --prefix) prefix=$2 ;;
        --server) server=$2 ;;
        --ca-cert) ca_cert=$2 ;;
        --token-file) token_file=$2 ;;
        --token)
          if [ "$2" = - ]; then
            token_stdin=yes
          else
            token_value=$2
            echo "install.sh: warning: --token TOKEN shows the token to every user of this machine in ps; prefer --token-file FILE or OCEAN_JOIN_TOKEN." >&2
          fi ;;
        --name) name=$2 ;;
        --runtime) runtime=$2 ;;
        --run-as) run_as=$2 ;;
        --storage) storage=$2 ;;
        --data) data=$2 ;;
        --state-dir) state_dir=$2 ;;
        --port) port=$2 ;;
        --listen) listen=$2 ;;
        --unit-dir) unit_dir_arg=$2 ;;
      esac
      shift ;;
    *) die "unknown argument '$1'; see install.sh --help." 2 ;;
  esac
  shift
done

if [ "$(id -u)" = 0 ]; then is_root=yes; else is_root=no; fi
if [ -n "$prefix" ]; then
  home_dir="$prefix/lib/ocean" link_dir="$prefix/bin"
elif [ "$is_root" = yes ]; then
  home_dir=/opt/ocean link_dir=/usr/local/bin
else
  home_dir="$HOME/.local/lib/ocean" link_dir="$HOME/.local/bin"
fi
if [ "$is_root" = yes ]; then
  server_data=/var/lib/ocean agent_state=/var/lib/ocean-agent
else
  server_data="${XDG_DATA_HOME:-$HOME/.local/share}/ocean"
  agent_state="${XDG_DATA_HOME:-$HOME/.local/share}/ocean-agent"
fi
server_data=${data:-${OCEAN_DATA:-$server_data}}
agent_state=${state_dir:-${OCEAN_AGENT_STATE:-$agent_state}}
if [ "$up" = no ]; then
  [ -z "$port" ] || die "--port is for --up (the port ocean up gives the server)." 2
  [ -z "$listen" ] || die "--listen is for --up (the address ocean up gives the server)." 2
fi
systemd_runs=no
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemd_runs=yes; fi
systemd=no
if [ "$is_root" = yes ] && [ "$want_systemd" != no ] && [ "$systemd_runs" = yes ]; then
  systemd=yes
fi
unit_dir=/etc/systemd/system
manifest="$home_dir/.installed"

if [ "$uninstall" = yes ]; then
  [ -f "$manifest" ] || die "nothing to uninstall: $home_dir holds no Ocean installed by install.sh."
  kept=''
  keep() { case " $kept " in *" $1 "*) ;; *) if [ -e "$1" ]; then kept="$kept $1"; fi ;; esac; }
  # Services first, then the node leaves its server (which also stops an agent still running
  # there), then what is left of the processes and the links.
  for pass in units nodes rest; do
    while IFS= read -r line; do
      case "$pass:$line" in
        units:unit:*)
          u=${line#unit:}
          if [ "$systemd" = yes ]; then systemctl disable --now "$u" >/dev/null 2>&1 || true; fi
          rm -f "$unit_dir/$u" ;;
        nodes:agent:*)
          s=${line#agent:}
          if [ -f "$s/agent.json" ] && [ -x "$home_dir/bin/ocean-agent" ]; then
            "$home_dir/bin/ocean-agent" leave --state-dir "$s" ||
              echo "install.sh: warning: the node in $s could not leave its server; an admin removes it with ocean admin node remove NAME." >&2
          fi ;;
        units:up:*)
          # the one-node cluster of --up: stop it before its programs go; its data stays
          if [ -x "$home_dir/bin/ocean" ]; then "$home_dir/bin/ocean" down >/dev/null 2>&1 || true; fi ;;
        rest:up:*)
          keep "${line#up:}"
          # `ocean up` logged the CLI in: its saved token stays valid until it expires
          keep "${XDG_CONFIG_HOME:-$HOME/.config}/ocean/config.json" ;;
        rest:pid:*) stop_pid "${line#pid:}" ;;
        rest:link:*) l=${line#link:}; if [ -L "$l" ]; then rm -f "$l"; fi ;;
        rest:data:*) keep "${line#data:}" ;;
        rest:agent:*) keep "${line#agent:}" ;;
      esac
    done <"$manifest"
  done
  [ "$systemd" = yes ] && systemctl daemon-reload >/dev/null 2>&1 || true
  rm -rf "$home_dir"
  rmdir "$link_dir" 2>/dev/null || true
  [ -n "$prefix" ] && { rmdir "$prefix/lib" 2>/dev/null || true; rmdir "$prefix" 2>/dev/null || true; }
  echo "Removed Ocean from $home_dir and its links in $link_dir."
  keep "$server_data"
  keep "$agent_state"
  if [ -n "$kept" ]; then echo "Kept data and credentials (delete them yourself if unwanted):$kept"; fi
  exit 0
fi

# Where systemd was asked for and cannot be had, refuse before anything changes, saying how to
# run the programs by hand instead.
if [ "$want_systemd" = yes ] && [ "$role" != cli ]; then
  if [ "$role" = server ]; then
    by_hand="$home_dir/bin/ocean-server --data $server_data"
  else
    by_hand="$home_dir/bin/ocean-agent run --state-dir $agent_state (after the join that install.sh does)"
  fi
  why=''
  if [ "$systemd_runs" = no ]; then
    why="systemd is not running on this machine (no /run/systemd/system or no systemctl)"
  elif [ "$is_root" = no ]; then
    why="systemd units are installed as root only"
  fi
  if [ -n "$why" ]; then
    die "--systemd: $why; nothing was installed. Run install.sh without --systemd and start it by hand: $by_hand" 1
  fi
fi
[ -z "$unit_dir_arg" ] || [ "$role" = server ] \
  || die "--unit-dir is for the server role (an agent's unit comes from ocean-agent join --install-service)." 2
if [ -n "$ca_cert" ]; then
  [ -f "$ca_cert" ] && [ -r "$ca_cert" ] || die "--ca-cert $ca_cert cannot be read." 2
  # absolute: the agent keeps a copy, and the download runs from another directory
  ca_cert=$(cd "$(dirname "$ca_cert")" && pwd)/$(basename "$ca_cert")
fi

# Find the release to install: a source checkout builds it, an unpacked release is it, a piped
# script downloads it from the server.
here=''
# piped into sh, $0 is the shell's name, not a file here
if [ -f "$0" ]; then here=$(cd "$(dirname "$0")" && pwd); fi
tmp=''
cleanup() { if [ -n "$tmp" ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT
if [ -n "$here" ] && [ -x "$here/mvnw" ] && [ -f "$here/dist/pom.xml" ]; then
  if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
    export JAVA_HOME
  fi
  echo "Building Ocean (./mvnw -B -q package -DskipTests) ..."
  (cd "$here" && ./mvnw -B -q package -DskipTests) || die "the build failed; see the Maven output above."
  release="$here/dist/target/ocean"
  cp "$here/install.sh" "$release/install.sh"
elif [ -n "$here" ] && [ -x "$here/bin/ocean" ] && [ -d "$here/lib" ]; then
  release=$here
else
  [ -n "$server" ] || die "no release here and no server to download one from; give --server URL." 2
  tmp=$(mktemp -d)
  url="${server%/}/download/ocean.tar.gz"
  if command -v curl >/dev/null 2>&1; then
    rc=0
    if [ -n "$ca_cert" ]; then curl -fsSL --cacert "$ca_cert" "$url" -o "$tmp/ocean.tar.gz" || rc=$?
    else curl -fsSL "$url" -o "$tmp/ocean.tar.gz" || rc=$?
    fi
    # 60: the certificate is not trusted; 35: no TLS handshake at all
    [ "$rc" = 60 ] && die "the server's certificate at $server is not trusted; pass --ca-cert FILE with that certificate or the CA that signed it."
    [ "$rc" = 0 ] || die "cannot download $url."
  elif command -v wget >/dev/null 2>&1; then
    if [ -n "$ca_cert" ]; then wget -q --ca-certificate="$ca_cert" -O "$tmp/ocean.tar.gz" "$url" || die "cannot download $url."
    else wget -q -O "$tmp/ocean.tar.gz" "$url" || die "cannot download $url."
    fi
  else
    die "neither curl nor wget is installed to download $url."
  fi
  tar -xzf "$tmp/ocean.tar.gz" -C "$tmp" || die "$url is not a readable tar.gz."
  release="$tmp/ocean"
  [ -x "$release/bin/ocean" ] || die "$url holds no ocean/bin/ocean."
fi

# Check the agent's token before changing anything, so a refused run leaves nothing half done.
token_tmp=''
if [ "$role" = agent ] && [ ! -f "$agent_state/agent.json" ]; then
  [ -n "$server" ] || die "the agent role needs --server URL." 2
  if [ "$token_stdin" = yes ] || [ -n "$token_value" ]; then
    # the agent reads it from a private file, never from its command line
    [ -n "$tmp" ] || tmp=$(mktemp -d)
    token_tmp="$tmp/token"
    if [ -n "$token_value" ]; then
      (umask 077 && printf '%s\n' "$token_value" >"$token_tmp")
    else
      (umask 077 && cat >"$token_tmp")
    fi
    [ -s "$token_tmp" ] || die "no join token on standard input (--token -)." 2
  elif [ -n "$token_file" ]; then
    [ -r "$token_file" ] || die "--token-file $token_file cannot be read." 2
  elif [ -z "${OCEAN_JOIN_TOKEN:-}" ]; then
    die "the agent role needs a join token: --token-file FILE, --token - or OCEAN_JOIN_TOKEN." 2
  fi
fi

# A cluster that `ocean up` started from this install runs its programs out of $home_dir: swapped
# under it, it would go on running the old programs from a deleted tree. Its own (old) CLI stops it
# before the swap, and it starts again on the new release after it.
up_data="${XDG_DATA_HOME:-$HOME/.local/share}/ocean"
runs_from_here() {
  [ -f "$1" ] || return 1
  p=$(cat "$1" 2>/dev/null) || return 1
  kill -0 "$p" 2>/dev/null || return 1
  [ -r "/proc/$p/cmdline" ] || return 0 # no /proc to tell: assume it is this install's
  home_real=$(cd "$home_dir" && pwd -P)
  case "$(tr '\000' ' ' <"/proc/$p/cmdline")" in *"$home_real/lib/"* | *"$home_dir/lib/"*) return 0 ;; esac
  return 1
}
restart_up=no
if [ -x "$home_dir/bin/ocean" ] &&
  { runs_from_here "$up_data/ocean-server.pid" || runs_from_here "$up_data/ocean-agent.pid"; }; then
  echo "Stopping the cluster that \`ocean up\` started from $home_dir, to start it again on the new release ..."
  "$home_dir/bin/ocean" down >/dev/null ||
    die "could not stop the cluster that runs from $home_dir (ocean down failed); nothing was installed. Stop it with ocean down, then run install.sh again." 1
  restart_up=yes
fi

# Install: copy beside the old one, then swap, so a failed copy leaves the old one working.
mkdir -p "$(dirname "$home_dir")" "$link_dir"
rm -rf "$home_dir.new"
mkdir -p "$home_dir.new"
cp -Rp "$release/bin" "$release/lib" "$home_dir.new/"
# the release's own Java runtime, when it carries one (cp -p: the CLI's AOT cache checks the times)
if [ -d "$release/runtime" ]; then cp -Rp "$release/runtime" "$home_dir.new/"; fi
if [ -f "$release/install.sh" ]; then cp "$release/install.sh" "$home_dir.new/install.sh"; fi
if [ -f "$manifest" ]; then cp "$manifest" "$home_dir.new/.installed"; fi
rm -rf "$home_dir.old"
if [ -d "$home_dir" ]; then mv "$home_dir" "$home_dir.old"; fi
mv "$home_dir.new" "$home_dir"
rm -rf "$home_dir.old"
record() { grep -qxF "$1" "$manifest" 2>/dev/null || echo "$1" >>"$manifest"; }
# The server's systemd unit (quoted paths: systemd splits ExecStart like a shell).
server_unit() {
  cat <<EOF
[Unit]
Description=Ocean server
After=network-online.target
Wants=network-online.target

[Service]
ExecStart="$home_dir/bin/ocean-server" --data "$server_data" --admin-email "$admin" --admin-password-file "$pwfile"
Restart=on-failure

[Install]
WantedBy=multi-user.target
EOF
}
touch "$manifest"
link() {
  ln -sfn "$home_dir/bin/$1" "$link_dir/$1"
  record "link:$link_dir/$1"
}
link ocean
echo "Installed Ocean in $home_dir; ocean is linked in $link_dir."
case ":$PATH:" in *":$link_dir:"*) ;; *) echo "Add $link_dir to your PATH: export PATH=\"$link_dir:\$PATH\"" ;; esac

if [ "$role" = server ]; then
  link ocean-server
  mkdir -p "$server_data"
  chmod 700 "$server_data"
  pwfile="$server_data/admin-password"
  if [ ! -f "$pwfile" ]; then
    (umask 077 && printf '%sAa1!\n' "$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')" >"$pwfile")
    echo "The first admin's password is in $pwfile (mode 0600)."
  fi
  admin="${OCEAN_ADMIN_EMAIL:-admin@ocean.local}"
  cmd="$home_dir/bin/ocean-server --data $server_data --admin-email $admin --admin-password-file $pwfile"
  record "data:$server_data"
  if [ -n "$unit_dir_arg" ]; then
    mkdir -p "$unit_dir_arg"
    server_unit >"$unit_dir_arg/ocean-server.service"
    echo "Wrote $unit_dir_arg/ocean-server.service (admin $admin); nothing is enabled: copy it to $unit_dir and run systemctl enable --now ocean-server."
  elif [ "$systemd" = yes ]; then
    server_unit >"$unit_dir/ocean-server.service"
    record "unit:ocean-server.service"
    systemctl daemon-reload
    systemctl enable ocean-server.service >/dev/null 2>&1
    systemctl restart ocean-server.service
    echo "ocean-server runs as the systemd service ocean-server (journalctl -u ocean-server); admin $admin."
  else
    echo "Start the server by hand (admin $admin): $cmd"
  fi
fi

if [ "$role" = agent ]; then
  link ocean-agent
  agent="$home_dir/bin/ocean-agent"
  record "agent:$agent_state"
  if [ -f "$agent_state/agent.json" ]; then
    echo "This machine has already joined (state in $agent_state); the agent is upgraded in place."
    if [ "$systemd" = yes ]; then
      "$agent" run --state-dir "$agent_state" --install-service >/dev/null
      record "unit:ocean-agent.service"
      systemctl restart ocean-agent.service
    elif [ -f "$agent_state/agent.pid" ] && kill -0 "$(cat "$agent_state/agent.pid")" 2>/dev/null; then
      stop_pid "$agent_state/agent.pid"
      nohup "$agent" run --state-dir "$agent_state" </dev/null >>"$agent_state/agent.log" 2>&1 &
      echo "$!" >"$agent_state/agent.pid"
      echo "Restarted the agent in the background (pid $!, log $agent_state/agent.log)."
    else
      echo "Start it by hand: $agent run --state-dir $agent_state"
    fi
  else
    set -- join --server "$server" --state-dir "$agent_state"
    [ -n "$name" ] && set -- "$@" --name "$name"
    [ -n "$runtime" ] && set -- "$@" --runtime "$runtime"
    if [ "$runtime" = process ]; then
      if [ -z "$run_as" ] && [ "$(id -u)" = 0 ]; then
        # jobs never run as the agent's user: a dedicated unprivileged account
        run_as=ocean-jobs
        if ! id "$run_as" >/dev/null 2>&1; then
          useradd --system --no-create-home --shell /usr/sbin/nologin "$run_as" 2>/dev/null ||
            die "cannot create the account $run_as for jobs; create it or pass --run-as USER." 1
          echo "Created the account $run_as that jobs on this node run as."
        fi
      fi
      [ -n "$run_as" ] && set -- "$@" --run-as "$run_as"
    fi
    [ -n "$storage" ] && set -- "$@" --storage "$storage"
    if [ -n "$ca_cert" ]; then
      # a copy beside the agent's state: upgrades and a cleaned download directory keep it
      mkdir -p "$agent_state"
      cp "$ca_cert" "$agent_state/ca.pem" && chmod 644 "$agent_state/ca.pem"
      set -- "$@" --ca-cert "$agent_state/ca.pem"
    fi
    if [ -n "$token_tmp" ]; then set -- "$@" --token-file "$token_tmp"
    elif [ -n "$token_file" ]; then set -- "$@" --token-file "$token_file"
    fi
    mkdir -p "$agent_state"
    if [ "$systemd" = yes ]; then
      "$agent" "$@" --install-service || die "the agent could not join $server; see the message above."
      record "unit:ocean-agent.service"
    else
      log="$agent_state/agent.log"
      nohup "$agent" "$@" </dev/null >>"$log" 2>&1 &
      pid=$!
      echo "$pid" >"$agent_state/agent.pid"
      record "pid:$agent_state/agent.pid"
      i=0
      while [ ! -f "$agent_state/agent.json" ]; do
        if ! kill -0 "$pid" 2>/dev/null; then
          tail -n 5 "$log" >&2 || true
          rm -f "$agent_state/agent.pid"
          die "the agent could not join $server; its log is $log."
        fi
        i=$((i + 1))
        [ "$i" -le 120 ] || die "the agent did not join $server within 60 s; its log is $log."
        sleep 0.5
      done
      # the agent says, just before its "Joined" line, when this node cannot run jobs yet
      i=0
      while ! grep -q '^Joined ' "$log" && [ "$i" -lt 20 ]; do i=$((i + 1)); sleep 0.5; done
      echo "The agent joined $server and runs in the background (pid $pid, log $log)."
      grep '^Warning: this node joined but cannot run jobs' "$log" | tail -n 1 >&2 || true
      echo "After a reboot start it by hand: $agent run --state-dir $agent_state"
    fi
  fi
fi

if [ "$restart_up" = yes ] && [ "$up" = no ]; then
  "$home_dir/bin/ocean" up ||
    die "Ocean is installed, but the cluster stopped for the upgrade did not start again; see the message above, then run ocean up." 1
fi

if [ "$up" = yes ]; then
  record "up:${XDG_DATA_HOME:-$HOME/.local/share}/ocean"
  set -- up
  [ -n "$port" ] && set -- "$@" --port "$port"
  [ -n "$listen" ] && set -- "$@" --listen "$listen"
  [ -n "$runtime" ] && set -- "$@" --runtime "$runtime"
  "$home_dir/bin/ocean" "$@"
  # the image `ocean up` made for this node's runtime (busybox for containers, host for processes),
  # not whatever an admin added since
  images=$("$home_dir/bin/ocean" image list -q)
  image=$(printf '%s\n' "$images" | grep -x -m1 busybox || printf '%s\n' "$images" | grep -x -m1 host ||
    printf '%s\n' "$images" | head -n 1)
  "$home_dir/bin/ocean" job submit --name hello --machine-type cpu.small --image "$image" --follow \
    -- sh -c 'echo hello from $OCEAN_JOB_ID'
fi
