#!/usr/bin/env bash
# Runs the whole OpenWard test suite on a fresh Debian machine: installs PostgreSQL 15, Chromium
# (browser tests) and Node.js/npm (the web interface's NHS design system) if they are missing,
# starts a throw-away server on loopback for the PostgreSQL storage tests, checks formatting,
# runs every test project and prints one closing line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

PG_PORT="${OPENWARD_TEST_PG_PORT:-55432}"
PG_DIR="$(mktemp -d /tmp/openward-pg.XXXXXX)"
RESULTS="$(mktemp -d /tmp/openward-test-results.XXXXXX)"

need_apt() {
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: $* missing and not root: install it with apt-get first" >&2
    exit 1
  fi
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null
}

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "Installing PostgreSQL from Debian..."
  need_apt postgresql
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi

# The browser tests drive Debian's chromium; the OpenWard.Web build runs `npm ci` for the front end.
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium from Debian..."
  need_apt chromium
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "Installing Node.js and npm from Debian..."
  need_apt nodejs npm
fi

# initdb refuses to run as root: run the server as the postgres user, in a folder it owns.
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DIR"; fi
run_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U openward --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
run_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
stop_pg() { run_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PG_DIR" "$RESULTS"; }
trap stop_pg EXIT
export OPENWARD_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=openward;Database=postgres;Pooling=true;Maximum Pool Size=50"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

dotnet restore OpenWard.slnx --verbosity quiet
dotnet build OpenWard.slnx --no-restore --verbosity quiet -clp:ErrorsOnly
echo "Checking formatting (dotnet format --verify-no-changes)..."
dotnet format OpenWard.slnx --no-restore --verify-no-changes --verbosity quiet

set +e
dotnet test OpenWard.slnx --no-build --verbosity quiet --logger "trx" --results-directory "$RESULTS" 2>&1 | tee "$RESULTS/console.log"
status=${PIPESTATUS[0]}
set -e

# The quiet console names a failed test but not why: print each failure's message from the trx files.
for trx in "$RESULTS"/*.trx; do
  [ -e "$trx" ] || continue
  awk '/<UnitTestResult / && /outcome="Failed"/ {p=1; n=0} p && n++ < 60 {print} /<\/Message>/ {if (p) print "----"; p=0}' "$trx"
done

# Sum the per-project "Passed! - Failed: 0, Passed: 9, ..." lines into the one line CI reads.
passed=$(grep -Eo 'Passed: +[0-9]+' "$RESULTS/console.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$RESULTS/console.log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$RESULTS/console.log" | awk '{s+=$2} END {print s+0}')
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
