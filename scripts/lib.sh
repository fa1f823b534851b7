# Shared by scripts/run and scripts/test: tool installation (idempotent) and the
# project-local Postgres cluster. Source it; do not run it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Build cache outside the clone, so that a fresh clone (and CI) reuses earlier builds.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/qnej/target}
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$ROOT/scripts/node_modules/.bin:$PATH"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# The wasm target, and wasm-opt and esbuild from npm (esbuild also bundles the parts of
# ECharts the charts use): each installed only when missing. The scripts build the site
# themselves (build_site below), without cargo-leptos; wasm-bindgen is installed by
# build_site when it gets there, so that a first build compiles it beside the server.
ensure_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ ! -x "$ROOT/scripts/node_modules/.bin/wasm-opt" ] || [ ! -x "$ROOT/scripts/node_modules/.bin/esbuild" ] \
    || [ ! -d "$ROOT/scripts/node_modules/echarts" ]; then
    log "installing wasm-opt (binaryen), esbuild and ECharts from npm"
    (cd "$ROOT/scripts" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  # ECharts is served from our own origin, only the parts the charts use (see
  # scripts/echarts-entry.mjs); the build copies public/ into the site.
  local charts="$ROOT/public/vendor/echarts.min.js"
  if [ ! -f "$charts" ] || [ "$ROOT/scripts/echarts-entry.mjs" -nt "$charts" ] \
    || [ "$ROOT/scripts/package-lock.json" -nt "$charts" ]; then
    mkdir -p "$ROOT/public/vendor"
    "$ROOT/scripts/node_modules/.bin/esbuild" "$ROOT/scripts/echarts-entry.mjs" --bundle --minify \
      --format=iife --target=es2019 --legal-comments=none --log-level=warning --outfile="$charts"
  fi
}

# wasm-bindgen-cli at the version of the wasm-bindgen crate in Cargo.lock.
ensure_wasm_bindgen() {
  local wbg
  wbg=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
    log "installing wasm-bindgen-cli $wbg (about a minute, once)"
    # In a folder of its own: in the build folder it would wait for the server's build.
    # Unoptimised and without TLS (only its test runner downloads): a third of the build
    # time, and the same output in 2 s instead of 0.3 s.
    CARGO_TARGET_DIR="$CARGO_TARGET_DIR/tools" CARGO_PROFILE_DEV_DEBUG=0 \
      cargo install wasm-bindgen-cli --version "$wbg" --debug --no-default-features
  fi
}

# cargo-leptos, for `cargo leptos watch` while developing (the scripts do not need it).
ensure_cargo_leptos() {
  if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
    log "installing cargo-leptos 0.3.10 (about 5 minutes, once)"
    CARGO_PROFILE_DEV_DEBUG=0 cargo install cargo-leptos@0.3.10 --locked --features no_downloads --debug
  fi
}

# The site is built the way cargo-leptos builds it from Cargo.toml's
# [workspace.metadata.leptos], with the same compile-time settings, so that both share one
# build cache: the bundle's name (read by Leptos when it compiles) and erased component
# types (always-erase-components).
leptos_cargo() {
  LEPTOS_OUTPUT_NAME=qnej RUSTFLAGS="--cfg erase_components" cargo "$@"
}

# The server binary of PROFILE (dev or release) in $CARGO_TARGET_DIR.
build_server() {
  leptos_cargo build --package=server --bin=server --no-default-features --features=ssr --profile "$1"
}

# The browser's code and the site's files, always as the release build that phones get, into
# target/site: the wasm (wasm-release profile, then wasm-bindgen and wasm-opt -Oz), the
# minified script and stylesheet, public/, each of the three bundle files named after its
# content's hash, and a .br and a .gz beside every file. The hash file, which the server
# reads beside its binary, is written for the server of each profile.
build_site() {
  local site="$ROOT/target/site" front="$CARGO_TARGET_DIR/front" pkg
  pkg="$site/pkg"
  ensure_wasm_bindgen
  leptos_cargo build --package=app --lib --target-dir="$front" --target=wasm32-unknown-unknown \
    --no-default-features --features=hydrate --profile=wasm-release
  rm -rf "$site"
  mkdir -p "$pkg"
  cp -r "$ROOT/public/." "$site/"
  wasm-bindgen --target=web --no-typescript --out-name=qnej --out-dir="$pkg" \
    "$front/wasm32-unknown-unknown/wasm-release/app.wasm"
  mv "$pkg/qnej_bg.wasm" "$pkg/qnej.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$pkg/qnej.wasm" -o "$pkg/qnej.wasm"
  esbuild "$pkg/qnej.js" --minify --format=esm --target=es2020 --log-level=warning --outfile="$pkg/qnej.min.js"
  mv "$pkg/qnej.min.js" "$pkg/qnej.js"
  esbuild "$ROOT/style/main.css" --minify --target=chrome100,firefox100,safari15,ios15 \
    --log-level=warning --outfile="$pkg/qnej.css"
  node "$ROOT/scripts/finish-site.mjs" "$site" "$CARGO_TARGET_DIR"/{debug,release}/hash.txt
}

# Chromium from Debian and playwright-core from npm, for the end-to-end tests.
ensure_test_tools() {
  # Chinese fonts too, so that the screenshots the tests take are legible.
  if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; then
    log "installing Chromium and Chinese fonts from apt"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  fi
  if [ ! -d "$ROOT/end2end/node_modules/playwright-core" ] || [ ! -d "$ROOT/end2end/node_modules/axe-core" ]; then
    log "installing playwright-core and axe-core from npm"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Runs a Postgres command as the cluster's owner: the `postgres` user when we are root
# (Postgres refuses to run as root), else ourselves.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The cluster's folder: .data/<name> in the project, or, when we are root and the
# postgres user cannot reach the project (a clone in a private temporary folder), a folder
# of its own under /var/tmp named after the project's path.
pg_dir() {
  local name=$1 dir="$ROOT/.data/$1"
  mkdir -p "$ROOT/.data"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$ROOT/.data"
    if ! runuser -u postgres -- test -w "$ROOT/.data"; then
      dir="/var/tmp/qnej-$(printf '%s' "$ROOT" | md5sum | cut -c1-10)/$name"
      mkdir -p "$(dirname "$dir")"
      chown postgres "$(dirname "$dir")"
    fi
  fi
  printf '%s\n' "$dir"
}

PG_STARTED_DIR=""

stop_pg() {
  if [ -n "$PG_STARTED_DIR" ]; then
    log "stopping the local database"
    as_pg pg_ctl -D "$PG_STARTED_DIR" -m fast -w stop >/dev/null 2>&1 || true
    PG_STARTED_DIR=""
  fi
}

# Sets DATABASE_URL. When it is already set, uses that database and starts nothing.
# Otherwise starts (creating if needed) the project-local cluster NAME on a free port,
# creates database DB in it, and stops the cluster when the calling script exits.
# Extra arguments are server settings (for example fsync=off for tests).
start_pg() {
  local name=$1 db=$2; shift 2
  if [ -n "${DATABASE_URL:-}" ]; then
    log "using the database in DATABASE_URL"
    return
  fi
  command -v initdb >/dev/null || die "initdb not found: install PostgreSQL 15 (apt-get install postgresql postgresql-contrib)"
  local dir port opts=""
  dir=$(pg_dir "$name")
  if [ ! -f "$dir/PG_VERSION" ]; then
    log "creating a local database cluster in $dir"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_pg initdb -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg pg_ctl -D "$dir" status >/dev/null 2>&1; then
    port=$(sed -n 4p "$dir/postmaster.pid")
    log "the local database is already running on port $port; using it"
  else
    port=$(free_port)
    for setting in "$@"; do opts="$opts -c $setting"; done
    log "starting the local database on port $port"
    as_pg pg_ctl -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $opts" start >/dev/null \
      || { tail -20 "$dir/server.log" >&2; die "the local database did not start"; }
    PG_STARTED_DIR=$dir
    trap stop_pg EXIT
  fi
  if ! as_pg psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    as_pg createdb -h 127.0.0.1 -p "$port" -U postgres "$db"
  fi
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/$db"
}

# Waits until the server answers /healthz, or fails after $2 seconds.
wait_healthy() {
  local url=$1 secs=${2:-60}
  for _ in $(seq "$secs"); do
    curl -fsS "$url/healthz" >/dev/null 2>&1 && return 0
    sleep 1
  done
  die "the server did not become healthy at $url"
}

# For the benchmarks: starts BINARY (a built server) with demo data on a fresh database DB
# in the cluster that DATABASE_URL names, on a free port. Sets DEMO_BASE (its address),
# DEMO_DATABASE_URL and DEMO_SCRATCH (a folder of its own), and stops it, the processes in
# DEMO_ALSO and the local cluster when the calling script exits.
start_demo_server() {
  local binary=$1 db=$2 port
  as_pg psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  as_pg psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE $db" >/dev/null
  DEMO_DATABASE_URL="${DATABASE_URL%/*}/$db"
  DEMO_SCRATCH=$(mktemp -d)
  port=$(free_port)
  (
    export DATABASE_URL="$DEMO_DATABASE_URL" DEMO_DATA=1 RUST_LOG=warn UPLOAD_DIR="$DEMO_SCRATCH/uploads"
    export LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_HASH_FILES=true
    exec "$binary"
  ) >"$DEMO_SCRATCH/server.log" 2>&1 &
  DEMO_PID=$!
  DEMO_ALSO=""
  DEMO_BASE="http://127.0.0.1:$port"
  trap stop_demo_server EXIT
  wait_healthy "$DEMO_BASE" 120
}

stop_demo_server() {
  # shellcheck disable=SC2086 # DEMO_ALSO is a list of process ids
  kill -TERM "$DEMO_PID" $DEMO_ALSO 2>/dev/null || true
  # shellcheck disable=SC2086
  wait "$DEMO_PID" $DEMO_ALSO 2>/dev/null || true
  rm -rf "$DEMO_SCRATCH"
  stop_pg
}

# The Cookie header of demo user $1, signed in with the demo password on DEMO_BASE.
demo_cookie() {
  local jar="$DEMO_SCRATCH/jar-$1" cookie
  curl -fs -o /dev/null -c "$jar" -H "Origin: $DEMO_BASE" -H 'Accept: application/json' \
    --data "login=$1&password=qnej-demo-2026&next=/me" "$DEMO_BASE/api/sign_in"
  # curl marks the session cookie #HttpOnly_ in its jar.
  cookie=$(awk '{ sub(/^#HttpOnly_/, "") } !/^#/ && NF >= 7 { printf "%s=%s; ", $6, $7 }' "$jar")
  [ -n "$cookie" ] || die "signing in the demo user $1 failed"
  printf '%s' "$cookie"
}
