#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster.
#
#   bash scripts/with_postgres.sh COMMAND [ARGUMENTS...]
#   e.g. bash scripts/with_postgres.sh .venv/bin/python manage.py test   (make test-postgres)
#        bash scripts/with_postgres.sh .venv/bin/python bench/run.py     (BENCH_DB=postgres make bench)
#
# Starts a private server (unix socket only, in a temp dir) with an empty
# database, runs the command with DATABASE_URL pointing at it, then always
# stops the server and deletes the temp dir; exits with the command's code.
# DATABASE_URL's role is the cluster's superuser, so the command may create
# more databases (the test runner's test_<db> and its --parallel clones, the
# benchmark's one database per size). The cluster collates like a typical
# production database (ICU en-US), so ordering that only SQLite's byte order
# gives shows up here.
#
# Environment: PG_BINDIR (server binaries), PYTHON (default .venv/bin/python),
# PG_ICU_LOCALE (default en-US).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
DB_NAME=student_records

say() { printf 'with_postgres: %s\n' "$*" >&2; }

if (($# == 0)); then
    say "usage: bash scripts/with_postgres.sh COMMAND [ARGUMENTS...]"
    exit 2
fi

find_bindir() {
    if [[ -n ${PG_BINDIR:-} ]]; then
        echo "$PG_BINDIR"
        return
    fi
    local dir
    # Debian/Ubuntu keep the server out of PATH, one directory per version: take the newest.
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n $dir && -x $dir/initdb ]]; then
        echo "$dir"
    elif command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(command -v initdb)"
    fi
}

if [[ ! -x $PYTHON ]]; then
    say "$PYTHON not found: run 'make test-postgres' or 'make bench' (they create .venv)"
    exit 1
fi

bindir=$(find_bindir)
if [[ -n ${PG_BINDIR:-} && ! -x $PG_BINDIR/initdb ]]; then
    say "PG_BINDIR=$PG_BINDIR holds no initdb"
    exit 1
fi
if [[ -z $bindir ]]; then
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
        say "PostgreSQL server not found: installing it with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
        bindir=$(find_bindir)
    fi
    if [[ -z $bindir ]]; then
        say "PostgreSQL server not found. Install it, e.g.: sudo apt-get install postgresql"
        say "(or set PG_BINDIR to the directory holding initdb and pg_ctl)"
        exit 1
    fi
fi

# PostgreSQL refuses to run as root: as root the server runs as `postgres`.
if [[ $EUID -eq 0 ]]; then
    db_user=postgres
    if ! id "$db_user" >/dev/null 2>&1; then
        say "running as root but there is no '$db_user' user to run the server as"
        exit 1
    fi
else
    db_user=$(id -un)
fi

# The server's socket lives in here: keep the path well under the ~107-byte socket limit.
parent=${TMPDIR:-/tmp}
((${#parent} <= 60)) || parent=/tmp
tmp=$(mktemp -d "$parent/student-records-pg.XXXXXX")
data=$tmp/data

as_db_user() {
    if [[ $EUID -eq 0 ]]; then
        (cd "$tmp" && runuser -u "$db_user" -- "$@")
    else
        "$@"
    fi
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -f $data/postmaster.pid ]]; then
        as_db_user "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 \
            || say "could not stop the server (log: $tmp/server.log)"
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ $EUID -eq 0 ]]; then
    chown "$db_user" "$tmp"
fi

locale_args=(--encoding=UTF8 --locale=C.UTF-8)
if "$bindir/initdb" --help | grep -q -- --icu-locale; then
    locale_args+=(--locale-provider=icu "--icu-locale=${PG_ICU_LOCALE:-en-US}")
fi

say "starting PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') in $tmp (as $db_user)"
as_db_user "$bindir/initdb" -D "$data" -U "$db_user" --auth=trust "${locale_args[@]}" >"$tmp/initdb.log" 2>&1 \
    || { cat "$tmp/initdb.log" >&2; exit 1; }
# Unix socket only, in the private temp dir; durability off: the data is thrown away.
server_options="-c listen_addresses='' -k '$tmp' -c max_connections=200 -c fsync=off"
server_options+=" -c synchronous_commit=off -c full_page_writes=off"
as_db_user "$bindir/pg_ctl" -D "$data" -l "$tmp/server.log" -o "$server_options" -w -t 60 start >/dev/null \
    || { cat "$tmp/server.log" >&2; exit 1; }
as_db_user "$bindir/createdb" -h "$tmp" -U "$db_user" "$DB_NAME"

# The socket directory goes in the host part, percent-encoded.
socket_host=$("$PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$tmp")
export DATABASE_URL="postgres://${db_user}@${socket_host}/${DB_NAME}"

# The command runs as a job of its own (set -m) so that an INT or TERM sent to
# this script (Ctrl-C, a CI timeout) reaches it, test workers included, as a
# Ctrl-C, and the cleanup runs as soon as it has stopped.
set -m
"$@" &
command=$!
set +m
signal_status=
trap 'signal_status=130; kill -INT -- "-$command" 2>/dev/null || true' INT
trap 'signal_status=143; kill -INT -- "-$command" 2>/dev/null || true' TERM
status=0
wait "$command" || status=$?
while kill -0 "$command" 2>/dev/null; do # `wait` returned early for a signal
    status=0
    wait "$command" || status=$?
done
exit "${signal_status:-$status}"
