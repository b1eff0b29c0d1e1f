#!/usr/bin/env bash
# Throw-away PostgreSQL cluster for the test suite.
# Usage: postgres.sh start|stop|url   (state in $SERVICES_DIR)
set -euo pipefail
SVC=postgres
# shellcheck source=common.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/common.sh"

DB_USER=portal DB_PASS=portal DB_NAME=portal
WORK="$(work_dir pg)"          # data dir + server log, deleted by stop
DATA="$WORK/data"
SERVER_LOG="$WORK/server.log"

# Newest server found under /usr/lib/postgresql/*/bin (Debian layout).
find_bindir() {
  BIN="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
  [[ -x "$BIN" ]] || return 1
  BIN="$(dirname -- "$BIN")"
}

svc_running() {
  [[ -s "$SERVICES_DIR/postgres.url" ]] && pid_is "$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null)" "$DATA"
}

svc_start() {
  local port version url
  if svc_running; then
    url="$(cat "$SERVICES_DIR/postgres.url")"
    port="${url##*:}"
    echo "PostgreSQL $(cat "$SERVICES_DIR/postgres.version") on 127.0.0.1:${port%%/*} (already running)"
    return 0
  fi
  svc_stop   # clear what a failed or killed run left behind

  if ! find_bindir; then
    is_root || die "initdb not found under /usr/lib/postgresql/*/bin: install PostgreSQL (apt-get install postgresql)"
    need_cmd package postgresql PostgreSQL
    find_bindir || die "initdb still missing after apt-get install postgresql"
  fi
  need_cmd python3 python3-minimal Python3

  if is_root; then
    # The Debian package creates "postgres"; otherwise use our own user.
    if id -u postgres >/dev/null 2>&1; then SVC_USER=postgres; else SVC_USER=portal-svc; ensure_user "$SVC_USER"; fi
  fi
  make_work_dir "$WORK"
  port="$(free_ports 1)"

  # The bootstrap superuser is the app role itself: no extra role, no socket needed.
  printf '%s\n' "$DB_PASS" | run_svc tee "$WORK/pwfile" >/dev/null
  run_svc "$BIN/initdb" -D "$DATA" -U "$DB_USER" --pwfile="$WORK/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$WORK/initdb.log" 2>&1 || fail "initdb failed" "$WORK/initdb.log"
  rm -f -- "$WORK/pwfile"

  # Loopback only; durability off because the data is thrown away, unless
  # PG_DURABLE=1: bench/stack.sh's production-like stack commits as production
  # does (each commit waits for its WAL to reach the disk).
  # Sockets go in the (0700) data dir unless its path is too long for a socket.
  local sockdir="$DATA" durability="off"
  (( ${#DATA} < 90 )) || sockdir=""
  if [[ ${PG_DURABLE:-0} == 1 ]]; then durability="on"; fi
  cat >>"$DATA/postgresql.conf" <<CONF

# --- tests/services/postgres.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sockdir'
fsync = $durability
synchronous_commit = $durability
full_page_writes = $durability
CONF

  # pg_ctl -w waits for startup; it detaches the server (setsid) from our session.
  run_svc "$BIN/pg_ctl" -D "$DATA" -l "$SERVER_LOG" -w -t 60 start >/dev/null 2>&1 \
    || fail "server did not start" "$SERVER_LOG"
  local i
  for ((i = 0; i < 60; i++)); do
    "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
  done
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" || fail "pg_isready: no answer on 127.0.0.1:$port" "$SERVER_LOG"

  export PGPASSWORD="$DB_PASS"
  "$BIN/createdb" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB_NAME" 2>"$WORK/createdb.log" \
    || fail "createdb $DB_NAME failed" "$WORK/createdb.log" "$SERVER_LOG"
  version="$("$BIN/psql" -h 127.0.0.1 -p "$port" -U "$DB_USER" -d "$DB_NAME" -XtAc 'SHOW server_version')" \
    || fail "cannot query the server version" "$SERVER_LOG"
  version="${version%% *}"   # "15.14 (Debian ...)" -> "15.14"

  url="postgres://$DB_USER:$DB_PASS@127.0.0.1:$port/$DB_NAME"
  head -n 1 "$DATA/postmaster.pid" >"$SERVICES_DIR/postgres.pid"
  printf '%s\n' "$version" >"$SERVICES_DIR/postgres.version"
  printf '%s\n' "$url" >"$SERVICES_DIR/postgres.url"
  echo "PostgreSQL $version on 127.0.0.1:$port"
}

svc_stop() {
  local pid
  # postmaster.pid is authoritative; the copy covers a deleted data dir.
  for pid in "$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null)" \
             "$(cat "$SERVICES_DIR/postgres.pid" 2>/dev/null)"; do
    stop_pid "$pid" "$DATA" INT   # SIGINT = "fast" shutdown, does not wait for clients
  done
  remove_work_dir "$WORK"
  rm -f -- "$SERVICES_DIR"/postgres.{url,version,pid}
}

main "$@"
