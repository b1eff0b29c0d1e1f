#!/usr/bin/env bash
# Throw-away single-node Elasticsearch for the test suite, from the
# integ-test-zip distribution on Maven Central (no JDK bundled, no keys).
# Usage: elasticsearch.sh start|stop|url   (state in $SERVICES_DIR)
# Env: ES_VERSION (pin a version), ES_CACHE_DIR (unzipped distributions),
#      ES_REFRESH=1 (look for a newer version even if one is cached),
#      JVM_DIR (where to look for JDKs, default /usr/lib/jvm),
#      M2_REPO (Maven local repository, default ~/.m2/repository),
#      ES_HEAP (JVM heap, default 512m; benchmarks give it more).
set -euo pipefail
SVC=elasticsearch
# shellcheck source=common.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/common.sh"

ZIP_GA=org.elasticsearch.distribution.integ-test-zip:elasticsearch
JVM_DIR="${JVM_DIR:-/usr/lib/jvm}"
M2_REPO="${M2_REPO:-$HOME/.m2/repository}"
if is_root; then CACHE="${ES_CACHE_DIR:-/var/cache/portal-test}"
else CACHE="${ES_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/portal-test}"; fi
WORK="$(work_dir es)"   # config copy, data, logs, tmp: deleted by stop

# ---- JDK -------------------------------------------------------------------

# pick_jdk MIN: JAVA_HOME of the newest JDK >= MIN in $JVM_DIR.
pick_jdk() {
  local java major best=0
  JDK=""
  for java in "$JVM_DIR"/*/bin/java; do
    [[ -x "$java" ]] || continue
    # 'openjdk version "25.0.3"' -> 25, '"1.8.0_402"' -> 8
    major="$("$java" -version 2>&1 | sed -n 's/.* version "\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -n 1)"
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if (( major >= $1 && major > best )); then best="$major"; JDK="$(dirname -- "$(dirname -- "$java")")"; fi
  done
  [[ -n "$JDK" ]]
}

# ---- which version ---------------------------------------------------------

# central_versions GROUP ARTIFACT RANGE: versions listed in Central's metadata.
# Resolving a range makes mvn fetch maven-metadata.xml; whether the artifact
# itself resolves does not matter, so mvn's exit status is ignored.
central_versions() {
  local tmp
  tmp="$(mktemp -d)"
  cat >"$tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.portal</groupId><artifactId>version-probe</artifactId><version>0</version>
  <dependencies><dependency>
    <groupId>$1</groupId><artifactId>$2</artifactId><version>$3</version><type>pom</type>
    <exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>
  </dependency></dependencies>
</project>
POM
  (cd "$tmp" && mvn -q -B -U -Dmaven.repo.local="$M2_REPO" dependency:resolve) >"$tmp/mvn.log" 2>&1 || true
  rm -rf -- "$tmp"
  cat -- "$M2_REPO/${1//.//}/$2"/maven-metadata-*.xml 2>/dev/null \
    | sed -n 's:.*<version>\([^<]*\)</version>.*:\1:p' | sort -uV
}

# Central's metadata of the zip stops at 8.19 and the one of
# org.elasticsearch:elasticsearch lags, so also guess a few newer versions.
candidates_9x() {
  local all top M m p i
  all="$(central_versions org.elasticsearch elasticsearch '[9.0.0,9.999.999]' | grep -E '^9\.[0-9]+\.[0-9]+$' || true)"
  top="$(tail -n 1 <<<"$all")"
  [[ -n "$top" ]] || return 0
  IFS=. read -r M m p <<<"$top"
  {
    printf '%s\n' "$all"
    for i in 1 2 3 4; do echo "$M.$m.$((p + i))"; done
    for i in 0 1 2; do echo "$M.$((m + 1)).$i"; done
  } | sort -uV -r
}

candidates_819() {
  central_versions org.elasticsearch.distribution.integ-test-zip elasticsearch '[8.19.0,8.19.999]' \
    | grep -E '^8\.19\.[0-9]+$' | sort -V -r || true
}

# fetch VERSION: download and unzip into the cache; 1 if Central lacks it.
fetch() {
  local v="$1" tmp
  [[ -e "$CACHE/elasticsearch-$v/.complete" ]] && return 0
  need_cmd mvn maven Maven
  need_cmd unzip unzip unzip
  tmp="$(mktemp -d "$CACHE/.fetch-XXXXXX")"
  # -U: Maven otherwise remembers a failed lookup (*.lastUpdated) for a day.
  if ! (cd "$tmp" && mvn -q -B -U -Dmaven.repo.local="$M2_REPO" dependency:copy -Dartifact="$ZIP_GA:$v:zip" -DoutputDirectory="$tmp") \
      >"$tmp/mvn.log" 2>&1; then
    rm -rf -- "$tmp"
    return 1
  fi
  unzip -q "$tmp/elasticsearch-$v.zip" -d "$tmp/x" || { rm -rf -- "$tmp"; die "cannot unzip elasticsearch-$v.zip"; }
  chmod -R a+rX "$tmp/x"              # read-only for the service user
  touch "$tmp/x/elasticsearch-$v/.complete"
  rm -rf -- "${CACHE:?}/elasticsearch-$v"
  mv -- "$tmp/x/elasticsearch-$v" "$CACHE/elasticsearch-$v" \
    || die "cannot move elasticsearch-$v into $CACHE"   # one rename: never a half tree
  rm -rf -- "$tmp"
}

# choose_version SERIES (9 or 8.19): sets VERSION.
choose_version() {
  local v
  mkdir -p -- "$CACHE" || die "cannot create the cache folder $CACHE (set ES_CACHE_DIR)"
  if [[ -O "$CACHE" ]]; then chmod 755 -- "$CACHE"; fi   # the service user reads it
  # Parallel runs share the cache (a read-only shared cache just is not locked).
  if exec 9>>"$CACHE/.lock"; then flock 9; fi 2>/dev/null
  if [[ -n "${ES_VERSION:-}" ]]; then
    VERSION="$ES_VERSION"
    fetch "$VERSION" || die "Elasticsearch $VERSION integ-test-zip not found on Maven Central"
    return 0
  fi
  # Fast path, no network: the newest complete tree of the series in the cache.
  if [[ -z "${ES_REFRESH:-}" ]]; then
    VERSION="$(find "$CACHE" -mindepth 2 -maxdepth 2 -path "$CACHE/elasticsearch-$1.*/.complete" \
      | sed 's:.*/elasticsearch-\([^/]*\)/\.complete$:\1:' | sort -V | tail -n 1)"
    if [[ -n "$VERSION" ]]; then log "using cached Elasticsearch $VERSION"; return 0; fi
  fi
  need_cmd mvn maven Maven
  log "looking up the newest Elasticsearch $1.x integ-test-zip on Maven Central"
  for v in $(if [[ "$1" == 9 ]]; then candidates_9x; else candidates_819; fi); do
    if fetch "$v"; then
      VERSION="$v"
      log "chose Elasticsearch $VERSION (newest $1.x integ-test-zip Maven could fetch)"
      return 0
    fi
    log "$v: not on Maven Central"
  done
  die "no Elasticsearch $1.x integ-test-zip could be fetched from Maven Central"
}

# ---- service ---------------------------------------------------------------

es_pid() { cat -- "$WORK/es.pid" 2>/dev/null || cat -- "$SERVICES_DIR/elasticsearch.pid" 2>/dev/null || true; }

svc_running() {
  [[ -s "$SERVICES_DIR/elasticsearch.url" ]] && pid_is "$(es_pid)" "$WORK"
}

svc_start() {
  local series home port tport url health="" version deadline
  if svc_running; then
    url="$(cat "$SERVICES_DIR/elasticsearch.url")"
    echo "Elasticsearch $(cat "$SERVICES_DIR/elasticsearch.version") on ${url#http://} (already running)"
    return 0
  fi
  svc_stop   # clear what a failed or killed run left behind
  need_cmd curl curl curl
  need_cmd python3 python3-minimal Python3   # free_ports

  # 9.x needs JDK 21+; 8.19 still runs on 17.
  if [[ -n "${ES_VERSION:-}" ]]; then
    [[ "$ES_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "ES_VERSION=$ES_VERSION is not a version like 9.5.4"
    series="${ES_VERSION%%.*}"
    pick_jdk "$( (( series >= 9 )) && echo 21 || echo 17)" \
      || die "no suitable JDK for Elasticsearch $ES_VERSION in $JVM_DIR"
  elif pick_jdk 21; then
    series=9
  elif pick_jdk 17; then
    series=8.19
    log "no JDK >= 21 in $JVM_DIR: falling back to Elasticsearch 8.19.x on $JDK"
  else
    die "no JDK >= 17 in $JVM_DIR: install one (apt-get install openjdk-17-jre-headless)"
  fi
  choose_version "$series"
  home="$CACHE/elasticsearch-$VERSION"

  if is_root; then SVC_USER=portal-es; ensure_user "$SVC_USER"; fi   # ES refuses root
  make_work_dir "$WORK"
  # ES writes its keystore next to the config: use a private copy.
  cp -R -- "$home/config" "$WORK/config"
  mkdir -- "$WORK/data" "$WORK/logs" "$WORK/tmp"
  [[ -z "$SVC_USER" ]] || chown -R -- "$SVC_USER:" "$WORK"
  read -r port tport <<<"$(free_ports 2)"

  # Any -E setting this zip does not know aborts startup. The zip has only the
  # x-pack-core, x-pack-security, transport-netty4 and apm modules, so e.g.
  # ingest.geoip.downloader.enabled is rejected. xpack.security.enabled=false is
  # required: else the security auto-configuration writes keystore settings
  # (cluster.state.encryption.*) that this zip cannot read and the node dies.
  # -d returns once the node is up; timeout guards against a hung launcher.
  run_svc timeout -k 10 180 env ES_JAVA_HOME="$JDK" ES_PATH_CONF="$WORK/config" ES_TMPDIR="$WORK/tmp" \
    ES_JAVA_OPTS="-Xms${ES_HEAP:-512m} -Xmx${ES_HEAP:-512m}" \
    "$home/bin/elasticsearch" -d -p "$WORK/es.pid" \
    -Epath.data="$WORK/data" -Epath.logs="$WORK/logs" \
    -Ediscovery.type=single-node -Enetwork.host=127.0.0.1 \
    -Ehttp.port="$port" -Etransport.port="$tport" \
    -Ecluster.routing.allocation.disk.threshold_enabled=false \
    -Ebootstrap.memory_lock=false -Expack.security.enabled=false \
    >"$WORK/launcher.log" 2>&1 </dev/null \
    || fail "Elasticsearch $VERSION did not start" "$WORK/launcher.log"

  url="http://127.0.0.1:$port"
  deadline=$((SECONDS + 120))
  while ((SECONDS < deadline)); do
    health="$(curl -s --max-time 5 "$url/_cluster/health?wait_for_status=yellow&timeout=1s" || true)"
    [[ "$health" =~ \"status\":\"(green|yellow)\" ]] && break
    pid_is "$(es_pid)" "$WORK" || fail "Elasticsearch $VERSION exited during startup" "$WORK/launcher.log" "$WORK/logs/elasticsearch.log"
    sleep 1
  done
  [[ "$health" =~ \"status\":\"(green|yellow)\" ]] \
    || fail "Elasticsearch $VERSION not green/yellow after 120 s" "$WORK/logs/elasticsearch.log"

  # Not "GET /": this zip lacks the rest-root module, so / answers 405.
  version="$(curl -s --max-time 10 "$url/_cat/nodes?h=version" | tr -d '[:space:]' || true)"
  [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "cannot read the version from $url/_cat/nodes" "$WORK/logs/elasticsearch.log"
  cp -- "$WORK/es.pid" "$SERVICES_DIR/elasticsearch.pid"
  printf '%s\n' "$version" >"$SERVICES_DIR/elasticsearch.version"
  printf '%s\n' "$url" >"$SERVICES_DIR/elasticsearch.url"
  echo "Elasticsearch $version on 127.0.0.1:$port"
}

svc_stop() {
  stop_pid "$(es_pid)" "$WORK" TERM
  remove_work_dir "$WORK"
  rm -f -- "$SERVICES_DIR"/elasticsearch.{url,version,pid}
}

main "$@"
