# shellcheck shell=bash
# Shared helpers for tests/services/*.sh. Sourced, not executed.
# The sourcing script sets SVC (state file prefix) and defines
# svc_start, svc_stop and svc_running, then calls: main "$@"

# Absolute, so the /var/tmp hash and recorded paths do not depend on the cwd.
SERVICES_DIR="$(realpath -m -- "${SERVICES_DIR:-$PWD/.cache/services}")"
export SERVICES_DIR

log() { printf '%s: %s\n' "$SVC" "$*" >&2; }
die() { printf '%s: ERROR: %s\n' "$SVC" "$*" >&2; exit 1; }
is_root() { [[ "$(id -u)" -eq 0 ]]; }

# fail REASON LOG...: show the log tails, clean up what start left, then die.
fail() {
  local reason="$1" f
  shift
  for f in "$@"; do
    [[ -s "$f" ]] || continue
    printf -- '--- last 30 lines of %s\n' "$f" >&2
    tail -n 30 -- "$f" >&2
  done
  svc_stop >/dev/null 2>&1 || true   # never leave a half-started service behind
  die "$reason"
}

# need_cmd CMD PACKAGE NAME: install PACKAGE when root, else one clear line
# (portal/bin/require does both; CMD "package" checks the Debian package itself).
REQUIRE="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)/portal/bin/require"
need_cmd() {
  "$REQUIRE" "$1" "$2" "$3" >&2 || die "$3 is missing"
}

# Databases must not (PostgreSQL) or refuse to (Elasticsearch) run as root.
ensure_user() {
  id -u "$1" >/dev/null 2>&1 && return 0
  log "creating system user $1"
  useradd --system --no-create-home --shell /usr/sbin/nologin "$1" \
    || id -u "$1" >/dev/null 2>&1 || die "cannot create system user $1"
}

# run_svc CMD...: run as $SVC_USER when set. cd / first: the service user
# may not be allowed into the caller's cwd (e.g. /root/...).
SVC_USER=""
run_svc() {
  if [[ -n "$SVC_USER" ]]; then
    (cd / && runuser -u "$SVC_USER" -- "$@")
  else
    "$@"
  fi
}

# work_dir SUB: throw-away folder of this service. As root it lives in
# /var/tmp (the service user may not traverse $SERVICES_DIR, e.g. /root/...);
# the name hashes SERVICES_DIR so parallel run folders do not collide.
work_dir() {
  if is_root; then
    printf '/var/tmp/portal-test-%s/%s\n' \
      "$(printf '%s' "$SERVICES_DIR" | sha256sum | cut -c1-12)" "$1"
  else
    printf '%s/%s\n' "$SERVICES_DIR" "$1"
  fi
}

# make_work_dir DIR: fresh DIR owned by $SVC_USER (or us).
make_work_dir() {
  local parent
  parent="$(dirname -- "$1")"
  mkdir -p -- "$parent"
  # /var/tmp is world-writable: refuse a parent someone else planted.
  if is_root; then
    if [[ -L "$parent" || "$(stat -c %u -- "$parent")" != 0 ]]; then
      die "$parent is not a root-owned directory, refusing to use it"
    fi
    chmod 755 -- "$parent"   # the service user must traverse it, whatever the umask
  fi
  rm -rf -- "$1"
  mkdir -m 700 -- "$1"
  [[ -z "$SVC_USER" ]] || chown -- "$SVC_USER:" "$1"
  printf '%s\n' "$1" >"$SERVICES_DIR/$SVC.workdir"
}

# remove_work_dir DIR: delete it, and its /var/tmp parent once empty.
remove_work_dir() {
  rm -rf -- "$1"
  rm -f -- "$SERVICES_DIR/$SVC.workdir"
  if is_root; then rmdir -- "$(dirname -- "$1")" 2>/dev/null || true; fi
}

# free_ports N: N distinct free TCP ports on 127.0.0.1 (sockets held together).
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# pid_is PID WORD: PID is alive and its command line contains WORD
# (so a recycled pid is never signalled).
pid_is() {
  [[ "${1:-}" =~ ^[0-9]+$ && -r "/proc/$1/cmdline" ]] \
    && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# stop_pid PID WORD SIGNAL: send SIGNAL, wait up to 30 s, then SIGKILL.
stop_pid() {
  local i
  pid_is "$1" "$2" || return 0
  kill "-$3" "$1" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    pid_is "$1" "$2" || return 0
    sleep 0.1
  done
  log "pid $1 ignored SIG$3 for 30 s, killing it"
  kill -KILL "$1" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do pid_is "$1" "$2" || return 0; sleep 0.1; done
}

main() {
  case "${1:-}" in
    start)
      mkdir -p -- "$SERVICES_DIR"
      # Interrupted (e.g. ^C in make): do not leave a half-started service.
      trap 'svc_stop >/dev/null 2>&1; exit 130' INT TERM
      svc_start
      ;;
    stop) svc_stop ;;
    url)
      svc_running || die "not running (SERVICES_DIR=$SERVICES_DIR)"
      cat -- "$SERVICES_DIR/$SVC.url"
      ;;
    *) echo "usage: $0 start|stop|url   (state in \$SERVICES_DIR, default \$PWD/.cache/services)" >&2; exit 2 ;;
  esac
}
