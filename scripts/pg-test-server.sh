#!/usr/bin/env bash
# A throwaway PostgreSQL server for taskdesk's tests.
#
#   scripts/pg-test-server.sh [start]   start (or reuse) the server; print its URL on stdout
#   scripts/pg-test-server.sh env       same, printed as: export TASKDESK_TEST_PG_URL='...'
#   scripts/pg-test-server.sh url       print the URL of the running server (exit 1 if none)
#   scripts/pg-test-server.sh status    say whether it runs (exit 0) or not (exit 3)
#   scripts/pg-test-server.sh stop      stop it and delete its files (fine if none runs)
#
#   export TASKDESK_TEST_PG_URL="$(scripts/pg-test-server.sh)"
#   eval "$(scripts/pg-test-server.sh env)"
#
# The cluster lives in $TASKDESK_PG_DIR (default: $TMPDIR/taskdesk-pg-<uid>), listens only
# on a unix socket in that directory (TCP off), trusts local connections, and runs with
# fsync off: it is for tests, never for data.  The URL has the form
#   postgresql://taskdesk@/taskdesk_test?host=/tmp/taskdesk-pg-0/run
# which libpq, psycopg (2 and 3) and peewee's playhouse.db_url all accept.
# With TASKDESK_PG_TCP=1 it listens on 127.0.0.1 on a free port instead, and the URL is
#   postgresql://taskdesk@127.0.0.1:PORT/taskdesk_test
#
# PostgreSQL refuses to run as root, so as root the server runs as the system user
# 'taskdesk-pg' (created when missing).  Also as root, when no server binaries are found,
# Debian's 'postgresql' package is installed with apt-get.  Logs go to stderr; only the URL
# goes to stdout.  Needs no stdin; running 'start' twice reuses the running server.
set -euo pipefail

readonly PG_USER_NAME="taskdesk-pg"
readonly DB_NAME="taskdesk_test"
readonly ROLE_NAME="taskdesk"

base_dir="${TASKDESK_PG_DIR:-${TMPDIR:-/tmp}/taskdesk-pg-$(id -u)}"
data_dir="$base_dir/data"
run_dir="$base_dir/run"
log_file="$run_dir/server.log"
url_file="$base_dir/url"

log() { printf 'pg-test-server: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Where initdb, pg_ctl and postgres are: $PG_BINDIR, the newest Debian version, or PATH.
find_bindir() {
    local dir candidate
    if [ -n "${PG_BINDIR:-}" ]; then
        [ -x "$PG_BINDIR/initdb" ] && [ -x "$PG_BINDIR/pg_ctl" ] || die "PG_BINDIR=$PG_BINDIR has no initdb/pg_ctl"
        printf '%s\n' "$PG_BINDIR"
        return 0
    fi
    candidate=""
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
            candidate="$dir"
        fi
    done
    if [ -z "$candidate" ] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        candidate="$(dirname "$(readlink -f "$(command -v initdb)")")"
    fi
    [ -n "$candidate" ] || return 1
    printf '%s\n' "$candidate"
}

install_server() {
    is_root || die "no PostgreSQL server binaries found (looked in \$PG_BINDIR, /usr/lib/postgresql/*/bin, PATH); install the 'postgresql' package or set PG_BINDIR"
    command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL server binaries found and no apt-get to install them"
    log "installing Debian's postgresql package (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null >&2
    apt-get install -y -qq --no-install-recommends postgresql </dev/null >&2
}

# The account that owns and runs the cluster.
server_user() {
    if is_root; then
        if ! id -u "$PG_USER_NAME" >/dev/null 2>&1; then
            log "creating system user $PG_USER_NAME"
            useradd --system --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin --user-group "$PG_USER_NAME" >&2
        fi
        printf '%s\n' "$PG_USER_NAME"
    else
        id -un
    fi
}

# Run a command as the server's account, from a directory it can read, with a HOME of its own.
as_server() {
    if is_root; then
        (cd "$base_dir" && HOME="$base_dir" runuser -u "$PG_USER_NAME" -- "$@")
    else
        (cd "$base_dir" && HOME="$base_dir" "$@")
    fi
}

is_running() {
    [ -d "$data_dir" ] && [ -n "${bindir:-}" ] && as_server "$bindir/pg_ctl" -D "$data_dir" status >/dev/null 2>&1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop_cluster() {
    if [ ! -d "$base_dir" ]; then
        log "nothing to stop ($base_dir does not exist)"
        return 0
    fi
    if [ -f "$data_dir/postmaster.pid" ]; then
        bindir="$(find_bindir)" || bindir=""
        if is_running; then
            log "stopping the server in $base_dir"
            as_server "$bindir/pg_ctl" -D "$data_dir" -m fast -w -t 60 stop >&2 ||
                as_server "$bindir/pg_ctl" -D "$data_dir" -m immediate -w stop >&2 || true
        fi
    fi
    rm -rf -- "$base_dir"
    log "removed $base_dir"
}

start_cluster() {
    bindir="$(find_bindir)" || { install_server; bindir="$(find_bindir)" || die "still no PostgreSQL binaries after installing"; }
    local user
    user="$(server_user)"

    if [ -f "$url_file" ] && is_running; then
        log "reusing the server already running in $base_dir"
        cat "$url_file"
        return 0
    fi
    # Anything left over (a crashed or half-made cluster) is thrown away: the data is disposable.
    if [ -e "$base_dir" ] || [ -L "$base_dir" ]; then
        [ -d "$base_dir" ] && [ ! -L "$base_dir" ] || die "$base_dir exists and is not a directory"
        log "removing the stale cluster in $base_dir"
        if [ -f "$data_dir/postmaster.pid" ]; then
            as_server "$bindir/pg_ctl" -D "$data_dir" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        rm -rf -- "$base_dir"
    fi

    mkdir -p -- "$base_dir" "$run_dir"
    chmod 0755 "$base_dir" "$run_dir"
    if is_root; then
        chown "$user:" "$base_dir" "$run_dir"
    fi

    log "initdb ($("$bindir/postgres" --version)) in $data_dir as $user"
    as_server "$bindir/initdb" -D "$data_dir" -U "$ROLE_NAME" --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$base_dir/initdb.log" 2>&1 ||
        { cat "$base_dir/initdb.log" >&2; die "initdb failed"; }

    local url port
    if [ "${TASKDESK_PG_TCP:-0}" = "1" ]; then
        port="$(free_port)"
        listen="127.0.0.1"
        url="postgresql://$ROLE_NAME@127.0.0.1:$port/$DB_NAME"
    else
        port=5432 # the socket file is $run_dir/.s.PGSQL.5432: the directory alone keeps it apart
        listen=""
        url="postgresql://$ROLE_NAME@/$DB_NAME?host=$run_dir"
    fi
    # Settings for a disposable test server: fast, quiet, reachable only from here.
    cat >>"$data_dir/postgresql.conf" <<EOF

# --- taskdesk test server (scripts/pg-test-server.sh) ---
listen_addresses = '$listen'
port = $port
unix_socket_directories = '$run_dir'
unix_socket_permissions = 0777
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
log_min_messages = warning
log_min_error_statement = error
EOF

    log "starting the server (socket dir $run_dir${listen:+, tcp $listen:$port})"
    as_server "$bindir/pg_ctl" -D "$data_dir" -l "$log_file" -w -t 60 start >/dev/null ||
        { tail -n 40 "$log_file" >&2 || true; die "pg_ctl start failed"; }

    local psql_host="$run_dir"
    [ -n "$listen" ] && psql_host="127.0.0.1"
    as_server "$bindir/createdb" -h "$psql_host" -p "$port" -U "$ROLE_NAME" "$DB_NAME" ||
        die "createdb $DB_NAME failed"

    printf '%s\n' "$url" >"$url_file"
    log "ready: $url"
    printf '%s\n' "$url"
}

main() {
    local cmd="${1:-start}"
    case "$cmd" in
    start) start_cluster ;;
    env)
        local url
        url="$(start_cluster)"
        printf "export TASKDESK_TEST_PG_URL='%s'\n" "$url"
        ;;
    url)
        [ -f "$url_file" ] || die "no test server in $base_dir"
        cat "$url_file"
        ;;
    status)
        bindir="$(find_bindir)" || bindir=""
        if [ -f "$url_file" ] && is_running; then
            log "running: $(cat "$url_file")"
        else
            log "not running ($base_dir)"
            exit 3
        fi
        ;;
    stop) stop_cluster ;;
    -h | --help | help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command '$cmd' (start, env, url, status, stop)" ;;
    esac
}

main "$@"
