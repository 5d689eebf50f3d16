# Ocean's instance init. The agent mounts it read-only at /.ocean/init (beside a static busybox at
# /.ocean/busybox when the node has one) and runs it as root, as the container's first process.
# It prepares the linuxbrew user and its home on the volume, starts the image's sshd and
# code-server when it has them, and on SIGTERM stops them and exits 0. User data (SSH keys, the
# editor password) arrives only in the environment, never inside a command line, and is removed
# from it before any service starts. Everything it prints goes to the instance's log.
set -u
U=linuxbrew
H=/home/linuxbrew
BB=/.ocean/busybox
KEY=$H/.ocean/ssh_host_ed25519_key
CFG=$H/.code/config.yaml
pids=""
sl=""

say() { echo "ocean-init: $*"; }

# Runs the image's own tool when it has one, else the mounted busybox's.
t() {
  if command -v "$1" >/dev/null 2>&1; then "$@"
  elif [ -x "$BB" ]; then "$BB" "$@"
  else say "this image has no $1"; return 127
  fi
}

has() { command -v "$1" >/dev/null 2>&1; }

# Never write through a link the home's owner may have planted.
unlink_if_link() { if [ -L "$1" ]; then t rm -f "$1"; fi; }

ensure_user() {
  if ! t grep -q "^$U:" /etc/passwd 2>/dev/null; then
    sh_path=/bin/sh
    if [ -x /bin/bash ]; then sh_path=/bin/bash; fi
    if ! t grep -q "^$U:" /etc/group 2>/dev/null; then echo "$U:x:1000:" >>/etc/group; fi
    echo "$U:x:1000:1000:Ocean instance user:$H:$sh_path" >>/etc/passwd
    say "created user $U (uid 1000)"
  fi
  if [ -f /etc/shadow ]; then
    if ! t grep -q "^$U:" /etc/shadow; then
      echo "$U:*:19000:0:99999:7:::" >>/etc/shadow
    else
      # a locked password ('!') makes sshd refuse key logins too when it does not use PAM
      t sed -i -e "s/^$U:!!*:/$U:*:/" /etc/shadow
    fi
  fi
  uid=$(t grep "^$U:" /etc/passwd | t cut -d: -f3)
  gid=$(t grep "^$U:" /etc/passwd | t cut -d: -f4)
}

prepare_home() {
  t mkdir -p "$H"
  t chown "$uid:$gid" "$H"
  t chmod go-w "$H" # sshd's StrictModes
  unlink_if_link "$H/.ssh"
  t mkdir -p "$H/.ssh"
  unlink_if_link "$H/.ssh/authorized_keys"
  printf '%s\n' "${OCEAN_AUTHORIZED_KEYS:-}" >"$H/.ssh/authorized_keys"
  t chmod 700 "$H/.ssh"
  t chmod 600 "$H/.ssh/authorized_keys"
  t chown "$uid:$gid" "$H/.ssh" "$H/.ssh/authorized_keys"
  if [ ! -e "$CFG" ] && [ ! -L "$CFG" ]; then
    unlink_if_link "$H/.code"
    t mkdir -p "$H/.code"
    pw=$(printf '%s' "${OCEAN_EDITOR_PASSWORD:-}" | t sed "s/'/''/g")
    if [ -z "$pw" ]; then
      # a random password, readable only by the owner in this file (as code-server does itself)
      pw=$(t od -An -N18 -tx1 /dev/urandom | t tr -d ' \n')
    fi
    printf "bind-addr: 0.0.0.0:8080\nauth: password\npassword: '%s'\ncert: false\n" "$pw" >"$CFG"
    t chmod 600 "$CFG"
    t chown "$uid:$gid" "$H/.code" "$CFG"
    say "wrote the editor configuration $CFG"
  fi
  unset OCEAN_AUTHORIZED_KEYS OCEAN_EDITOR_PASSWORD pw
}

# What users install lands in the home on the volume, which survives; the rest is ephemeral.
HOME_ENV="PYTHONUSERBASE=$H/.local CONDA_ENVS_PATH=$H/.conda/envs CONDA_PKGS_DIRS=$H/.conda/pkgs"
HOME_ENV="$HOME_ENV PIP_CACHE_DIR=$H/.cache/pip HF_HOME=$H/.cache/huggingface XDG_CACHE_HOME=$H/.cache"

export_home_env() {
  for kv in $HOME_ENV; do export "$kv"; done
  for kv in $HOME_ENV; do echo "$kv"; done >>/etc/environment # for PAM sessions
  if [ -d /etc/profile.d ]; then
    for kv in $HOME_ENV; do echo "export $kv"; done >/etc/profile.d/ocean-home.sh
  fi
}

# The workload's own variables (OCEAN_SERVER, its token, OCEAN_JOB_ID, ...) reach what the init
# starts through the environment; SSH sessions get them from /etc/environment (PAM), from sshd's
# SetEnv (no PAM: `ssh box -- ocean job list`) and login shells from /etc/profile.d. All live in
# the container, never on the volume.
OCEAN_SETENV=""
pass_ocean_env() {
  for name in $(t env | t sed -n 's/^\(OCEAN_[A-Za-z0-9_]*\)=.*/\1/p'); do
    eval "value=\${$name:-}"
    case "$value" in *"
"*) continue ;; esac
    echo "$name=$value" >>/etc/environment
    case "$value" in *" "* | *"	"* | *'"'* | *"'"* | *"\\"*) ;; *) OCEAN_SETENV="$OCEAN_SETENV $name=$value" ;; esac
    if [ -d /etc/profile.d ]; then
      q=$(printf '%s' "$value" | t sed "s/'/'\\\\''/g")
      printf "export %s='%s'\n" "$name" "$q" >>/etc/profile.d/ocean-env.sh
    fi
  done
  unset name value q
}

host_key() {
  unlink_if_link "$H/.ocean"
  t mkdir -p "$H/.ocean"
  t chmod 755 "$H/.ocean"
  if [ ! -s "$KEY" ] && has ssh-keygen; then
    t rm -f "$KEY" "$KEY.pub"
    if ssh-keygen -q -t ed25519 -N '' -C ocean-instance -f "$KEY"; then
      say "created the SSH host key $KEY"
    fi
  fi
  if [ -s "$KEY" ]; then
    t chown 0:0 "$KEY"
    t chmod 600 "$KEY"
    if [ ! -s "$KEY.pub" ] && has ssh-keygen; then ssh-keygen -y -f "$KEY" >"$KEY.pub"; fi
  fi
}

start_sshd() {
  sshd_path=$(command -v sshd 2>/dev/null || true)
  if [ -z "$sshd_path" ] && [ -x /usr/sbin/sshd ]; then sshd_path=/usr/sbin/sshd; fi
  if [ -z "$sshd_path" ]; then
    say "this image has no sshd; nothing listens on port 22"
    return
  fi
  if [ ! -s "$KEY" ]; then
    say "no SSH host key (the image has no ssh-keygen); sshd not started"
    return
  fi
  t mkdir -p /run/sshd
  t chmod 755 /run/sshd
  if [ -f /etc/pam.d/sshd ]; then # containers cannot set a login uid
    t sed -i -e 's/^session\([[:space:]]*\)required\([[:space:]]*\)pam_loginuid.so/session\1optional\2pam_loginuid.so/' /etc/pam.d/sshd
  fi
  # sshd takes one SetEnv (the first it reads): ours comes first in a root-only config that then
  # includes the image's; the token stays out of command lines
  conf=/run/ocean-sshd_config
  (
    umask 077
    {
      echo "SetEnv $HOME_ENV$OCEAN_SETENV"
      if [ -f /etc/ssh/sshd_config ]; then echo "Include /etc/ssh/sshd_config"; fi
    } >"$conf"
  )
  "$sshd_path" -D -e -f "$conf" -h "$KEY" -o PasswordAuthentication=no \
    -o KbdInteractiveAuthentication=no -o PermitRootLogin=no \
    -o AuthorizedKeysFile=.ssh/authorized_keys &
  pids="$pids $!"
  started="$started sshd"
  say "started sshd on port 22"
}

as_user() {
  if has runuser; then exec runuser -u "$U" -- "$@"
  elif has su; then exec su -s /bin/sh -c 'exec "$0" "$@"' -- "$U" "$@"
  else exec "$BB" su -s /bin/sh -c 'exec "$0" "$@"' -- "$U" "$@"
  fi
}

start_editor() {
  if ! has code-server; then
    say "this image has no code-server; nothing listens on port 8080"
    return
  fi
  (
    export HOME="$H" USER="$U"
    cd "$H" || exit 1
    as_user code-server --config "$CFG" --disable-telemetry "$H"
  ) &
  pids="$pids $!"
  started="$started editor"
  say "started code-server on port 8080"
}

stop() {
  say "stopping"
  trap - TERM INT
  # shellcheck disable=SC2086
  kill -TERM $pids $sl 2>/dev/null
  # only these: a bare wait would also wait for orphans that pid 1 inherits
  # shellcheck disable=SC2086
  if [ -n "$pids" ]; then wait $pids; fi
  exit 0
}

trap stop TERM INT
ensure_user
prepare_home
export_home_env
pass_ocean_env
host_key
started=""
start_sshd
start_editor
# the agent reports only the endpoints of what runs (no SSH command for an image without sshd)
t mkdir -p /run
for svc in $started; do echo "$svc"; done >/run/ocean-services.tmp
t mv -f /run/ocean-services.tmp /run/ocean-services
say "ready"
# sleep itself, not a function around it, so that $! is the process to stop
if has sleep; then nap=sleep; else nap="$BB sleep"; fi
while :; do
  $nap 3600 &
  sl=$!
  wait "$sl"
done
