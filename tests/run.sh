#!/usr/bin/env bash
# The whole test run: start throw-away PostgreSQL and Elasticsearch, run the suite on
# the embedded defaults (SQLite, database search, database queue) and again on
# PostgreSQL + Elasticsearch, and stop both services whatever happens.
set -uo pipefail
cd "$(dirname "$0")/.."

export SERVICES_DIR=${SERVICES_DIR:-$PWD/.cache/services}
export DJANGO_SETTINGS_MODULE=portal.settings.test
# Two workers (pytest-xdist; TEST_WORKERS=0 runs in one process), a file per
# worker at a time. Each round runs in two passes: the tests that empty the
# database when they end (transactional: live server, threads) come last, on
# their own, so no other test runs after them on a worker (tests/conftest.py).
PYTEST=(.venv/bin/python -m pytest -p no:cacheprovider --durations=15
  -n "${TEST_WORKERS:-2}" --dist loadfile "$@")

# run_round ENV-ARGS...: both passes, under `env ENV-ARGS...`.
run_round() {
  local failed=0
  env "$@" "${PYTEST[@]}" --db-transactions=skip || failed=1
  env "$@" "${PYTEST[@]}" --db-transactions=only || failed=1
  return $failed
}

stop_services() {
  bash tests/services/elasticsearch.sh stop || true
  bash tests/services/postgres.sh stop || true
}
trap stop_services EXIT INT TERM

portal/bin/require chromium chromium "Chromium (browser tests)" || exit 1
portal/bin/require redis-server redis-server "Redis (the RQ worker's tests)" || exit 1
portal/bin/require package fonts-noto-cjk "Chinese fonts (readable browser screenshots)" || exit 1

mkdir -p "$SERVICES_DIR"
bash tests/services/postgres.sh start || { echo "PostgreSQL did not start" >&2; exit 1; }
bash tests/services/elasticsearch.sh start || { echo "Elasticsearch did not start" >&2; exit 1; }
echo "Using PostgreSQL $(cat "$SERVICES_DIR/postgres.version") and Elasticsearch $(cat "$SERVICES_DIR/elasticsearch.version")"

status=0
echo "=== Round 1 of 2: embedded defaults (SQLite, database search engine, database queue)"
run_round -u DATABASE_URL -u ELASTICSEARCH_URL -u REDIS_URL || status=1

echo "=== Round 2 of 2: PostgreSQL + Elasticsearch"
run_round -u REDIS_URL \
  DATABASE_URL="$(cat "$SERVICES_DIR/postgres.url")" \
  ELASTICSEARCH_URL="$(cat "$SERVICES_DIR/elasticsearch.url")" || status=1

if [[ $status -ne 0 ]]; then
  echo "make test: FAILED (see the rounds above)" >&2
fi
exit $status
