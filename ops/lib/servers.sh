# shellcheck shell=bash
# Private, loopback-only servers for SlaWatch's tests and local run:
# PostgreSQL (a private cluster), Dovecot (IMAP + LMTP) and a real SMTP server
# (ops/lib/smtp-relay.py) that hands every message to Dovecot over LMTP.
#
# Source this file; it defines functions only and is safe under `set -euo pipefail`.
# Everything a function starts lives under one folder ("the folder"):
#   <folder>/pg/            data/, the unix socket, postgres.log       (owned by postgres)
#   <folder>/dovecot/       dovecot.conf, run/, state/, dovecot.log
#   <folder>/mail/<user>/   one Maildir per address                     (owned by slawatch-mail)
#   <folder>/smtp/          relay.pid, relay.log (stderr), messages.log (one line per message)
# Nothing here binds anything but 127.0.0.1, and nothing touches the system's own
# PostgreSQL cluster or Dovecot.

SW_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SW_PYTHON=/usr/bin/python3           # Debian's python: python3-aiosmtpd is installed for it only
SW_MAIL_USER=slawatch-mail           # the uid/gid Dovecot stores mail as
SW_DEBIAN_PACKAGES=(postgresql dovecot-imapd dovecot-lmtpd python3-aiosmtpd curl)
# The supervisor board's browser test drives Debian's Chromium (/usr/bin/chromium) through Playwright,
# which downloads no browser of its own. SW_SKIP_BROWSER=1 leaves it out (a machine that only runs the worker).
SW_BROWSER_PACKAGES=(chromium)

sw_log() { printf '[servers] %s\n' "$*" >&2; }
sw_die() { printf '[servers] error: %s\n' "$*" >&2; return 1; }

# --- install ---------------------------------------------------------------------------

sw_package_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = installed ]
}

sw_missing_packages() {
    local p
    for p in "${SW_DEBIAN_PACKAGES[@]}"; do
        sw_package_installed "$p" || printf '%s\n' "$p"
    done
    if [ "${SW_SKIP_BROWSER:-0}" != 1 ]; then
        for p in "${SW_BROWSER_PACKAGES[@]}"; do
            sw_package_installed "$p" || printf '%s\n' "$p"
        done
    fi
    return 0
}

# Installs what is missing (and only then runs apt-get update). The packages' own services
# must not start or keep ports: we run private instances. A policy-rc.d that answers 101
# stops invoke-rc.d from starting them; one already on the machine is left as it was.
sw_install() {
    local missing
    mapfile -t missing < <(sw_missing_packages)
    if [ "${#missing[@]}" -eq 0 ]; then
        sw_ensure_mail_user || return 1
        return 0
    fi
    [ "$(id -u)" -eq 0 ] || sw_die "installing ${missing[*]} needs root (apt-get)" || return 1
    sw_log "installing from Debian: ${missing[*]}"
    local policy=/usr/sbin/policy-rc.d placed_policy=0 rc=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\n# placed by SlaWatch ops/lib/servers.sh during apt-get install\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        placed_policy=1
    fi
    {
        # Another apt-get (a second test run installing at the same time) holds the lock: wait.
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -q &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
    } >&2 || rc=$?
    [ "$placed_policy" -eq 0 ] || rm -f "$policy"
    [ "$rc" -eq 0 ] || sw_die "apt-get install ${missing[*]} failed (exit $rc)" || return 1
    sw_stop_system_services
    sw_ensure_mail_user || return 1
}

# Belt and braces for machines where the services started anyway (systemd, no policy-rc.d):
# the system Dovecot would hold 143/993/LMTP; we only need the binaries.
sw_stop_system_services() {
    if [ -s /run/dovecot/master.pid ] && sw_alive "$(cat /run/dovecot/master.pid)"; then
        sw_log "stopping the system Dovecot started by its package"
        if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
            systemctl stop dovecot.service dovecot.socket >/dev/null 2>&1 || true
            systemctl disable dovecot.service dovecot.socket >/dev/null 2>&1 || true
        fi
        doveadm stop >/dev/null 2>&1 || kill "$(cat /run/dovecot/master.pid)" 2>/dev/null || true
    fi
}

sw_ensure_mail_user() {
    if ! getent passwd "$SW_MAIL_USER" >/dev/null; then
        [ "$(id -u)" -eq 0 ] || sw_die "creating the system user $SW_MAIL_USER needs root" || return 1
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$SW_MAIL_USER"
    fi
}

sw_pg_bindir() {
    local v best=""
    for v in /usr/lib/postgresql/*/bin/initdb; do
        [ -x "$v" ] || continue
        if [ -z "$best" ] || [ "$(basename "$(dirname "$(dirname "$v")")")" -gt "$(basename "$(dirname "$(dirname "$best")")")" ]; then
            best="$v"
        fi
    done
    [ -n "$best" ] || sw_die "no PostgreSQL server binaries in /usr/lib/postgresql/<ver>/bin (package postgresql)" || return 1
    dirname "$best"
}

# --- ports ------------------------------------------------------------------------------

# Prints N distinct free TCP ports on 127.0.0.1, one a line (all held open while choosing).
sw_free_ports() {
    "$SW_PYTHON" - "${1:-1}" <<'PY'
import socket, sys
held = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    held.append(s)
print("\n".join(str(s.getsockname()[1]) for s in held))
PY
}

# True when nothing listens on 127.0.0.1:PORT and it can be bound.
sw_port_free() {
    "$SW_PYTHON" - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
}

# The preferred port if it is free, else a free one.
sw_port_or_free() {
    if sw_port_free "$1"; then echo "$1"; else sw_free_ports 1; fi
}

# Waits until 127.0.0.1:PORT accepts a connection; fails after SECONDS.
sw_wait_port() {
    local port=$1 seconds=${2:-30} what=${3:-port $1}
    "$SW_PYTHON" - "$port" "$seconds" <<'PY' || sw_die "$what did not listen on 127.0.0.1:$port within ${seconds}s"
import socket, sys, time
port, deadline = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while True:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        sys.exit(0)
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(1)
        time.sleep(0.05)
PY
}

# True while PID runs. A zombie counts as gone: our daemons are orphans, reaped by init
# whenever it gets round to it, and kill -0 succeeds on a zombie.
sw_alive() {
    local state
    [ -n "${1:-}" ] || return 1
    state=$(sed -n 's/^[^)]*) \([A-Za-z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null || true)
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# --- folder -----------------------------------------------------------------------------

# Prints the first folder on the way to FOLDER that the server users (postgres,
# slawatch-mail) cannot enter, and fails; succeeds when they can reach FOLDER. A repository
# cloned under /root (mode 700) is the usual case.
sw_unreachable_parent() {
    local folder=$1 d user
    [ "$(id -u)" -eq 0 ] || return 0
    d=$folder
    while [ ! -d "$d" ]; do d=$(dirname "$d"); done
    while :; do
        for user in postgres "$SW_MAIL_USER"; do
            getent passwd "$user" >/dev/null || continue
            if ! runuser -u "$user" -- test -x "$d" 2>/dev/null; then
                printf '%s\n' "$d"
                return 1
            fi
        done
        [ "$d" != / ] || break
        d=$(dirname "$d")
    done
}

sw_prepare_folder() {
    local folder=$1 blocked
    mkdir -p "$folder" || return 1
    chmod 755 "$folder" || return 1
    if ! blocked=$(sw_unreachable_parent "$folder"); then
        sw_die "the postgres or $SW_MAIL_USER user cannot enter $blocked, so the servers cannot use $folder (every parent needs o+x)"
        return 1
    fi
}

sw_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

sw_dump_log() {
    local file=$1 lines=${2:-60}
    if [ -f "$file" ]; then
        printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
        tail -n "$lines" "$file" >&2 || true
        printf -- '----- end of %s -----\n' "$file" >&2
    else
        printf -- '----- %s does not exist -----\n' "$file" >&2
    fi
}

# --- PostgreSQL -------------------------------------------------------------------------

# sw_pg_start FOLDER PORT: a private cluster in FOLDER/pg on 127.0.0.1:PORT, user postgres,
# trust on loopback, socket in FOLDER/pg, fsync on (durable, as in production).
# SW_PG_EXTRA_CONF: more postgresql.conf lines for a new cluster (diagnostics, e.g. auto_explain; docs/benchmarks.md).
sw_pg_start() {
    local folder=$1 port=$2 bindir pgdir data
    bindir=$(sw_pg_bindir) || return 1
    sw_prepare_folder "$folder" || return 1
    pgdir=$folder/pg
    data=$pgdir/data
    mkdir -p "$pgdir" || return 1
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$pgdir" || return 1; fi
    if [ ! -s "$data/PG_VERSION" ]; then
        sw_as_postgres "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
            --no-instructions >"$pgdir/initdb.log" 2>&1 \
            || { sw_dump_log "$pgdir/initdb.log"; sw_die "initdb failed in $data"; return 1; }
        cat >>"$data/postgresql.conf" <<EOF

# SlaWatch private cluster (ops/lib/servers.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$pgdir'
fsync = on
synchronous_commit = on
max_connections = ${SW_PG_MAX_CONNECTIONS:-300}
${SW_PG_EXTRA_CONF:-}
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
    fi
    if sw_pg_running "$folder"; then
        sw_log "PostgreSQL already running in $data"
        return 0
    fi
    sw_as_postgres "$bindir/pg_ctl" -D "$data" -l "$pgdir/postgres.log" -o "-p $port" \
        -w -t "${SW_START_TIMEOUT:-60}" start </dev/null >"$pgdir/pg_ctl.log" 2>&1 \
        || { sw_dump_log "$pgdir/pg_ctl.log" 20; sw_dump_log "$pgdir/postgres.log"; sw_die "PostgreSQL did not start on 127.0.0.1:$port"; return 1; }
    local deadline=$((SECONDS + ${SW_START_TIMEOUT:-60}))
    until "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            sw_dump_log "$pgdir/postgres.log"
            sw_die "PostgreSQL is not ready on 127.0.0.1:$port"
            return 1
        fi
        sleep 0.1
    done
    sw_log "PostgreSQL $(basename "$(dirname "$bindir")") on 127.0.0.1:$port (data $data)"
}

sw_pg_running() {
    local data=$1/pg/data bindir
    [ -s "$data/postmaster.pid" ] || return 1
    bindir=$(sw_pg_bindir) || return 1
    sw_as_postgres "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

sw_pg_stop() {
    local folder=$1 bindir
    [ -s "$folder/pg/data/postmaster.pid" ] || return 0
    bindir=$(sw_pg_bindir) || return 1
    sw_as_postgres "$bindir/pg_ctl" -D "$folder/pg/data" -m fast -w -t 60 stop </dev/null >/dev/null 2>&1 || {
        # pg_ctl says "no server running" for a stale pid file; anything else: kill it.
        local pid
        pid=$(head -n1 "$folder/pg/data/postmaster.pid" 2>/dev/null || true)
        if [ -n "$pid" ] && sw_alive "$pid"; then
            kill -QUIT "$pid" 2>/dev/null || true
        fi
    }
    sw_log "PostgreSQL stopped ($folder/pg/data)"
}

# --- Dovecot ----------------------------------------------------------------------------

sw_dovecot_conf() { printf '%s/dovecot/dovecot.conf\n' "$1"; }

# sw_dovecot_write_conf FOLDER IMAP_PORT LMTP_PORT [PASSWORD]
sw_dovecot_write_conf() {
    local folder=$1 imap_port=$2 lmtp_port=$3 password=${4:-secret} dir
    dir=$folder/dovecot
    case "$password" in *[[:space:]\"\'\\]*) sw_die "the mail password must not contain spaces, quotes or backslashes"; return 1;; esac
    mkdir -p "$dir/run" "$dir/state" "$folder/mail" || return 1
    chown "$SW_MAIL_USER:$SW_MAIL_USER" "$folder/mail" || return 1
    chmod 750 "$folder/mail" || return 1
    cat >"$dir/dovecot.conf" <<EOF
# Private Dovecot for SlaWatch tests and the local run (ops/lib/servers.sh). Loopback only.
# Every address is a user with one password; mail is stored as $SW_MAIL_USER in
# $folder/mail/<address>.
instance_name = slawatch-$(printf '%s' "$folder" | cksum | cut -d' ' -f1)
base_dir = $dir/run
state_dir = $dir/state
protocols = imap lmtp
listen = 127.0.0.1
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
debug_log_path = $dir/dovecot.log
log_timestamp = "%Y-%m-%d %H:%M:%S "
auth_verbose = yes

ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_format = %Lu

passdb {
  driver = static
  args = password=$password
}
userdb {
  driver = static
  args = uid=$SW_MAIL_USER gid=$SW_MAIL_USER home=$folder/mail/%Lu allow_all_users=yes
}
first_valid_uid = 1
mail_location = maildir:~/Maildir

namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    auto = subscribe
    special_use = \\Sent
  }
  mailbox Drafts {
    auto = subscribe
    special_use = \\Drafts
  }
  mailbox Processed {
    auto = subscribe
  }
  mailbox Quarantine {
    auto = subscribe
  }
}

# Tests open many connections per user from 127.0.0.1 (the worker, its sweeps, the test's own).
default_process_limit = 500
default_client_limit = 2000
protocol imap {
  mail_max_userip_connections = 500
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
# LMTP adds Return-Path from MAIL FROM (and a Received header) to what it stores.
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $lmtp_port
  }
}
protocol lmtp {
  postmaster_address = postmaster@example.test
}
EOF
}

sw_dovecot_pid() {
    local pidfile=$1/dovecot/run/master.pid pid
    [ -s "$pidfile" ] || return 1
    pid=$(cat "$pidfile")
    sw_alive "$pid" || return 1
    printf '%s\n' "$pid"
}

# sw_dovecot_start FOLDER IMAP_PORT LMTP_PORT [PASSWORD]
sw_dovecot_start() {
    local folder=$1 imap_port=$2 lmtp_port=$3 password=${4:-secret} conf
    command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || sw_die "dovecot is not installed (dovecot-imapd)" || return 1
    [ "$(id -u)" -eq 0 ] || sw_die "the private Dovecot runs as root (it stores mail as $SW_MAIL_USER)" || return 1
    sw_prepare_folder "$folder" || return 1
    sw_ensure_mail_user || return 1
    if sw_dovecot_pid "$folder" >/dev/null; then
        sw_log "Dovecot already running for $folder"
        return 0
    fi
    sw_dovecot_write_conf "$folder" "$imap_port" "$lmtp_port" "$password" || return 1
    conf=$(sw_dovecot_conf "$folder")
    # Daemonises once its listeners are bound; the pid is in run/master.pid.
    /usr/sbin/dovecot -c "$conf" </dev/null >>"$folder/dovecot/dovecot.log" 2>&1 \
        || { sw_dump_log "$folder/dovecot/dovecot.log"; sw_die "Dovecot did not start (config $conf)"; return 1; }
    sw_wait_port "$imap_port" "${SW_START_TIMEOUT:-60}" "Dovecot IMAP" \
        && sw_wait_port "$lmtp_port" "${SW_START_TIMEOUT:-60}" "Dovecot LMTP" \
        || { sw_dump_log "$folder/dovecot/dovecot.log"; return 1; }
    sw_log "Dovecot $(/usr/sbin/dovecot --version | cut -d' ' -f1): IMAP 127.0.0.1:$imap_port, LMTP 127.0.0.1:$lmtp_port (config $conf)"
}

sw_dovecot_stop() {
    local folder=$1 pid children
    pid=$(sw_dovecot_pid "$folder") || return 0
    # Every Dovecot service process is a child of the master; they leave when it goes.
    children=$(sw_children "$pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        sw_alive "$pid" || break
        sleep 0.05
    done
    if sw_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    for _ in $(seq 1 100); do
        # shellcheck disable=SC2086
        sw_any_alive $children || break
        sleep 0.05
    done
    # shellcheck disable=SC2086
    if sw_any_alive $children; then kill -KILL $children 2>/dev/null || true; fi
    rm -f "$folder/dovecot/run/master.pid"
    sw_log "Dovecot stopped ($folder)"
}

# The pids whose parent is PID (from /proc: procps is not on a minimal Debian).
sw_children() {
    local stat rest
    for stat in /proc/[0-9]*/stat; do
        rest=$(sed -n 's/^[0-9]* (.*) [A-Za-z] \([0-9]*\) .*/\1/p' "$stat" 2>/dev/null || true)
        if [ "$rest" = "$1" ]; then
            stat=${stat#/proc/}
            printf '%s ' "${stat%/stat}"
        fi
    done
}

sw_any_alive() {
    local p
    for p in "$@"; do
        if sw_alive "$p"; then return 0; fi
    done
    return 1
}

sw_dovecot_restart() {
    local folder=$1 imap_port=$2 lmtp_port=$3 password=${4:-secret}
    sw_dovecot_stop "$folder"
    sw_dovecot_start "$folder" "$imap_port" "$lmtp_port" "$password"
}

# --- SMTP relay -------------------------------------------------------------------------

# sw_smtp_start FOLDER SMTP_PORT LMTP_PORT
sw_smtp_start() {
    local folder=$1 smtp_port=$2 lmtp_port=$3 dir pid
    dir=$folder/smtp
    mkdir -p "$dir" || return 1
    if [ -s "$dir/relay.pid" ] && sw_alive "$(cat "$dir/relay.pid")"; then
        sw_log "SMTP relay already running for $folder"
        return 0
    fi
    "$SW_PYTHON" -c 'import aiosmtpd' 2>/dev/null \
        || sw_die "$SW_PYTHON cannot import aiosmtpd (Debian package python3-aiosmtpd)" || return 1
    rm -f "$dir/relay.pid"
    # In a session of its own, like the daemons beside it: a Ctrl-C meant for the script
    # that started it must not stop it before the worker has shut down. It writes its pid.
    setsid "$SW_PYTHON" "$SW_LIB_DIR/smtp-relay.py" --listen "127.0.0.1:$smtp_port" --lmtp "127.0.0.1:$lmtp_port" \
        --message-log "$dir/messages.log" --pid-file "$dir/relay.pid" </dev/null >>"$dir/relay.log" 2>&1 &
    sw_wait_port "$smtp_port" "${SW_START_TIMEOUT:-60}" "the SMTP relay" \
        || { sw_dump_log "$dir/relay.log"; return 1; }
    pid=$(cat "$dir/relay.pid" 2>/dev/null || true)
    sw_alive "$pid" || { sw_dump_log "$dir/relay.log"; sw_die "the SMTP relay exited"; return 1; }
    sw_log "SMTP relay on 127.0.0.1:$smtp_port -> LMTP 127.0.0.1:$lmtp_port (log $dir/messages.log)"
}

sw_smtp_stop() {
    local dir=$1/smtp pid
    [ -s "$dir/relay.pid" ] || return 0
    pid=$(cat "$dir/relay.pid")
    if sw_alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            sw_alive "$pid" || break
            sleep 0.05
        done
        if sw_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
        sw_log "SMTP relay stopped ($1)"
    fi
    rm -f "$dir/relay.pid"
}

# --- all together -----------------------------------------------------------------------

# Writes FOLDER/servers.env (KEY=value) so later commands find the same ports.
sw_write_env() {
    local folder=$1
    shift
    printf '%s\n' "$@" >"$folder/servers.env"
}

sw_read_env() {
    local folder=$1
    [ -s "$folder/servers.env" ] || sw_die "no $folder/servers.env: the servers were not started there" || return 1
    # shellcheck disable=SC1091
    . "$folder/servers.env"
}

# sw_start_all FOLDER PG_PORT IMAP_PORT LMTP_PORT SMTP_PORT [PASSWORD]
sw_start_all() {
    local folder=$1 pg_port=$2 imap_port=$3 lmtp_port=$4 smtp_port=$5 password=${6:-secret}
    sw_prepare_folder "$folder" || return 1
    sw_write_env "$folder" \
        "SW_FOLDER=$folder" "PG_PORT=$pg_port" "IMAP_PORT=$imap_port" "LMTP_PORT=$lmtp_port" \
        "SMTP_PORT=$smtp_port" "MAIL_PASSWORD=$password" "PG_SOCKET_DIR=$folder/pg" \
        "DOVECOT_CONF=$(sw_dovecot_conf "$folder")" "SMTP_MESSAGE_LOG=$folder/smtp/messages.log" || return 1
    sw_pg_start "$folder" "$pg_port" || return 1
    sw_dovecot_start "$folder" "$imap_port" "$lmtp_port" "$password" || return 1
    sw_smtp_start "$folder" "$smtp_port" "$lmtp_port" || return 1
}

# Stops whatever was started under FOLDER; safe to call twice or on a half-started folder.
sw_stop_all() {
    local folder=$1
    [ -d "$folder" ] || return 0
    sw_smtp_stop "$folder" || true
    sw_dovecot_stop "$folder" || true
    sw_pg_stop "$folder" || true
    if [ -s "$folder/watch.pid" ]; then
        local w
        w=$(cat "$folder/watch.pid")
        rm -f "$folder/watch.pid"
        [ "$w" = "${BASHPID:-$$}" ] || kill "$w" 2>/dev/null || true
    fi
}

# Stops everything under FOLDER once process PID is gone (a test run that was killed).
sw_watch_owner() {
    local folder=$1 owner=$2 script
    script="$SW_LIB_DIR/servers.sh"
    rm -f "$folder/watch.pid"
    nohup setsid bash -c '
        . "$1"
        echo "$$" >"$3/watch.pid"
        while sw_alive "$2" && [ -d "$3" ]; do sleep 1; done
        if [ -d "$3" ] && [ -s "$3/watch.pid" ]; then
            sw_log "owner process $2 is gone: stopping the servers in $3"
            sw_stop_all "$3"
        fi
    ' _ "$script" "$owner" "$folder" </dev/null >>"$folder/watch.log" 2>&1 &
    local _
    for _ in $(seq 1 100); do
        [ -s "$folder/watch.pid" ] && return 0
        sleep 0.02
    done
    sw_die "the watchdog for $folder did not start"
}
