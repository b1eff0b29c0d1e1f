#!/usr/bin/env bash
# A production-like portal on loopback, for bench/load.py, faults.py and perf.py.
#
#   bench/stack.sh [COMMAND...]     (or: make stack ARGS="COMMAND...")
#
# Starts PostgreSQL and Elasticsearch (tests/services/*.sh, on free ports, data under
# /var/tmp), Redis (Debian's redis-server), RQ workers (django-tasks-rq) and gunicorn
# with $WEB_WORKERS workers of $WEB_THREADS threads (and $STAFF_WORKERS of
# $STAFF_THREADS for staff pages) on portal.settings.production with throw-away
# secrets.
# Writes the environment to $STACK_DIR/stack.env, then runs COMMAND with it (or waits
# for Ctrl-C). Everything it started is stopped at the end, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

WEB_WORKERS=${WEB_WORKERS:-3}
WEB_THREADS=${WEB_THREADS:-6}
RQ_WORKERS=${RQ_WORKERS:-2}
# A second gunicorn for staff pages (/admin/, /staff/, /account/), at a lower CPU
# priority, as the proxy routes them in production (README: Production deployment);
# bench/load.py sends its staff there. 0: staff share the citizens' processes.
STAFF_WORKERS=${STAFF_WORKERS:-2}
STAFF_THREADS=${STAFF_THREADS:-4}
STAFF_NICE=${STAFF_NICE:-5}
export STACK_DIR=${STACK_DIR:-/var/tmp/portal-stack-$$}
export SERVICES_DIR=$STACK_DIR/services
mkdir -p "$SERVICES_DIR" "$STACK_DIR/logs"
# shellcheck source=../tests/services/common.sh
SVC=stack . tests/services/common.sh

PIDS=()
COMMAND_PID=
stop_all() {
  local pid child children=()
  trap - EXIT INT TERM
  echo "stack: stopping" >&2
  # The command first (when the stack is stopped under it), so it does not go on
  # against a stack that is going away.
  [[ -n $COMMAND_PID ]] && kill -TERM "$COMMAND_PID" 2>/dev/null || true
  for pid in "${PIDS[@]}" $(cat "$STACK_DIR"/*.pid 2>/dev/null); do
    # The worker loops first, then what they run (by parent id, never by name).
    for child in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do
      kill -TERM "$pid" "$child" 2>/dev/null || true
      children+=("$child")
    done
    kill -TERM "$pid" 2>/dev/null || true
  done
  sleep 2
  # An RQ worker waiting on Redis may not have finished its warm shutdown yet.
  for pid in "${PIDS[@]}" $(cat "$STACK_DIR"/*.pid 2>/dev/null) "${children[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  # faults.py restarts the node itself: stop whatever its pid file names now.
  es_work=$(cat "$SERVICES_DIR/elasticsearch.workdir" 2>/dev/null || true)
  if [[ -n $es_work && -s $es_work/es.pid ]]; then
    kill -TERM "$(cat "$es_work/es.pid")" 2>/dev/null || true
  fi
  bash tests/services/elasticsearch.sh stop >/dev/null 2>&1 || true
  bash tests/services/postgres.sh stop >/dev/null 2>&1 || true
  rm -rf -- "$STACK_DIR"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

portal/bin/require redis-server redis-server "Redis (task queue and cache)"
# Durable, as production runs it: a submission is on disk when it is answered.
PG_DURABLE=1 bash tests/services/postgres.sh start
bash tests/services/elasticsearch.sh start
read -r WEB_PORT REDIS_PORT STAFF_PORT <<<"$(free_ports 3)"

# Append-only file, as production should run it: a restart keeps the queued jobs.
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly yes \
  --dir "$STACK_DIR" --daemonize no >"$STACK_DIR/logs/redis.log" 2>&1 &
echo $! >"$STACK_DIR/redis.pid"

cat >"$STACK_DIR/stack.env" <<ENV
export DJANGO_SETTINGS_MODULE=portal.settings.production
export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(60))')
export FIELD_ENCRYPTION_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(40))')
export ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=0
export DATABASE_URL=$(cat "$SERVICES_DIR/postgres.url")
export DATABASE_CONN_MAX_AGE=60
export ELASTICSEARCH_URL=$(cat "$SERVICES_DIR/elasticsearch.url")
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export REDIS_PORT=$REDIS_PORT
export PORTAL_DATA_DIR=$STACK_DIR/data
export SEARCH_INDEX_PREFIX=stack
export EMAIL_URL=file://$STACK_DIR/mail
export LOG_LEVEL=WARNING
export PYTHONUNBUFFERED=1
export STACK_DIR=$STACK_DIR
export STACK_URL=http://127.0.0.1:$WEB_PORT
export STACK_STAFF_URL=http://127.0.0.1:$( ((STAFF_WORKERS > 0)) && echo "$STAFF_PORT" || echo "$WEB_PORT")
export PG_DATA=$(cat "$SERVICES_DIR/postgres.workdir")/data
export ES_WORKDIR=$(cat "$SERVICES_DIR/elasticsearch.workdir")
ENV
# shellcheck disable=SC1091
. "$STACK_DIR/stack.env"
mkdir -p "$PORTAL_DATA_DIR" "$STACK_DIR/mail"

PY=$ROOT/.venv/bin/python
$PY manage.py migrate --noinput >"$STACK_DIR/logs/migrate.log"
$PY manage.py collectstatic --noinput >/dev/null
$PY manage.py seed_demo >"$STACK_DIR/logs/seed.log"
$PY manage.py search_index --rebuild >"$STACK_DIR/logs/index.log"

# Supervised as systemd's Restart=always would: an RQ worker exits when Redis goes
# away, and bench/faults.py kills one on purpose.
for ((i = 1; i <= RQ_WORKERS; i++)); do
  # "|| true": errexit is inherited, and a worker that exits must not end the loop.
  # Niced as the Procfile's worker: requests before background jobs when busy.
  # A loop that is itself stopped (a signal to the process group, pkill) stops its
  # worker too, rather than leaving it to run on against a stack that is gone.
  (
    trap 'kill -TERM ${worker:-} 2>/dev/null; exit' INT TERM
    while true; do
      nice -n 10 $PY manage.py run_worker &
      worker=$!
      wait $worker || true
      sleep 1
    done
  ) >>"$STACK_DIR/logs/worker-$i.log" 2>&1 &
  echo $! >"$STACK_DIR/worker-$i.pid"
done
$PY manage.py run_scheduler >"$STACK_DIR/logs/scheduler.log" 2>&1 &
echo $! >"$STACK_DIR/scheduler.pid"
# serve NAME PORT WORKERS THREADS NICE: gunicorn, threads as in the Procfile. Idle
# connections are kept longer than the load generator keeps them (httpx: 5 s), so a
# request is never sent on a connection the server is closing at that moment
# (browsers retry those; httpx does not).
serve() {
  nice -n "$5" "$ROOT/.venv/bin/gunicorn" portal.wsgi --bind "127.0.0.1:$2" \
    --workers "$3" --threads "$4" --worker-class gthread \
    --keep-alive 10 --forwarded-allow-ips 127.0.0.1 --timeout 30 \
    --pid "$STACK_DIR/$1.pid" --error-logfile "$STACK_DIR/logs/$1.log" &
  PIDS+=($!)
}
# healthy URL NAME: wait until URL/healthz answers, or show NAME's log and stop.
healthy() {
  for ((i = 0; i < 100; i++)); do
    curl -sf -o /dev/null "$1/healthz" && return
    sleep 0.3
  done
  curl -sf -o /dev/null "$1/healthz" || { tail -n 30 "$STACK_DIR/logs/$2.log" >&2; exit 1; }
}
serve gunicorn "$WEB_PORT" "$WEB_WORKERS" "$WEB_THREADS" 0
((STAFF_WORKERS == 0)) || serve gunicorn-staff "$STAFF_PORT" "$STAFF_WORKERS" "$STAFF_THREADS" "$STAFF_NICE"
healthy "$STACK_URL" gunicorn
((STAFF_WORKERS == 0)) || healthy "$STACK_STAFF_URL" gunicorn-staff
# Measure a settled portal: the jobs seeding queued (the pages' search index, the
# reference index, the demo petitions) run before COMMAND starts.
$PY -c 'import sys; sys.path.insert(0, "bench"); import load; load.setup_django()
print(f"stack: queue settled in {load.queue_drained():.0f} s", file=sys.stderr)'
# ... that has served for a while: a fresh web process's first submission and first
# staff pages load modules and compile templates, and the first five seconds of load
# on a fresh stack answered 5-10 times slower than the rest. Ten seconds of light
# load (its own addresses) reach every process before COMMAND starts.
$PY bench/load.py --citizens 20 --staff 5 --seconds 10 --first 60000 >"$STACK_DIR/logs/warm-up.log" 2>&1 ||
  { tail -n 20 "$STACK_DIR/logs/warm-up.log" >&2; exit 1; }
echo "stack: portal on $STACK_URL ($WEB_WORKERS web workers × $WEB_THREADS threads, $RQ_WORKERS RQ workers)$( ((STAFF_WORKERS > 0)) && echo ", staff pages on $STACK_STAFF_URL ($STAFF_WORKERS × $STAFF_THREADS, nice $STAFF_NICE)"); env in $STACK_DIR/stack.env" >&2

# In the background, so a signal stops the stack at once rather than after COMMAND.
if (($#)); then
  "$@" &
  COMMAND_PID=$!
  wait "$COMMAND_PID"
else
  echo "stack: Ctrl-C stops everything" >&2
  wait
fi
