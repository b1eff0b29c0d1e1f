#!/usr/bin/env bash
# The whole test run: start throw-away PostgreSQL and Elasticsearch, run the suite on
# the embedded defaults (SQLite, database search, database queue) and again on
# PostgreSQL + Elasticsearch, and stop both services whatever happens.
set -uo pipefail
cd "$(dirname "$0")/.."

export SERVICES_DIR=${SERVICES_DIR:-$PWD/.cache/services}
export DJANGO_SETTINGS_MODULE=portal.settings.test
PYTEST=(.venv/bin/python -m pytest -p no:cacheprovider --durations=15 "$@")

stop_services() {
  bash tests/services/elasticsearch.sh stop || true
  bash tests/services/postgres.sh stop || true
}
trap stop_services EXIT INT TERM

portal/bin/require chromium chromium "Chromium (browser tests)" || exit 1
portal/bin/require package fonts-noto-cjk "Chinese fonts (readable browser screenshots)" || exit 1

mkdir -p "$SERVICES_DIR"
bash tests/services/postgres.sh start || { echo "PostgreSQL did not start" >&2; exit 1; }
bash tests/services/elasticsearch.sh start || { echo "Elasticsearch did not start" >&2; exit 1; }
echo "Using PostgreSQL $(cat "$SERVICES_DIR/postgres.version") and Elasticsearch $(cat "$SERVICES_DIR/elasticsearch.version")"

status=0
echo "=== Round 1 of 2: embedded defaults (SQLite, database search engine, database queue)"
env -u DATABASE_URL -u ELASTICSEARCH_URL -u REDIS_URL "${PYTEST[@]}" || status=1

echo "=== Round 2 of 2: PostgreSQL + Elasticsearch"
DATABASE_URL=$(cat "$SERVICES_DIR/postgres.url") \
ELASTICSEARCH_URL=$(cat "$SERVICES_DIR/elasticsearch.url") \
  env -u REDIS_URL "${PYTEST[@]}" || status=1

if [[ $status -ne 0 ]]; then
  echo "make test: FAILED (see the rounds above)" >&2
fi
exit $status
