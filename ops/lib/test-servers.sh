#!/usr/bin/env bash
# Entry point for the integration-test fixture (tests/SlaWatch.Integration.Tests/Fixtures):
#
#   ops/lib/test-servers.sh start FOLDER [PASSWORD] [OWNER_PID]
#       installs what is missing, starts PostgreSQL, Dovecot and the SMTP relay under FOLDER
#       on free loopback ports and prints KEY=value lines (PG_PORT, IMAP_PORT, LMTP_PORT,
#       SMTP_PORT, MAIL_PASSWORD, ...). With OWNER_PID, the servers stop by themselves once
#       that process is gone (a test run that was killed).
#   ops/lib/test-servers.sh stop FOLDER                 everything under FOLDER (idempotent)
#   ops/lib/test-servers.sh pg-stop|pg-start FOLDER     PostgreSQL alone, same port
#   ops/lib/test-servers.sh dovecot-stop|dovecot-start|dovecot-restart FOLDER
#
# Only KEY=value lines go to stdout; progress and, on failure, the server logs go to stderr.
set -euo pipefail

. "$(dirname "$0")/servers.sh"

usage() { sed -n '2,14p' "$0" >&2; exit 2; }

[ $# -ge 2 ] || usage
command=$1
folder=$2

case "$command" in
start)
    password=${3:-secret}
    owner=${4:-}
    sw_install
    mkdir -p "$folder"
    folder=$(cd "$folder" && pwd)
    mapfile -t ports < <(sw_free_ports 4)
    if ! sw_start_all "$folder" "${ports[0]}" "${ports[1]}" "${ports[2]}" "${ports[3]}" "$password"; then
        sw_dump_log "$folder/pg/postgres.log" 40
        sw_dump_log "$folder/dovecot/dovecot.log" 40
        sw_dump_log "$folder/smtp/relay.log" 40
        sw_stop_all "$folder" || true
        exit 1
    fi
    if [ -n "$owner" ]; then sw_watch_owner "$folder" "$owner"; fi
    cat "$folder/servers.env"
    ;;
stop)
    sw_stop_all "$folder"
    ;;
pg-stop)
    sw_pg_stop "$folder"
    ;;
pg-start)
    sw_read_env "$folder"
    sw_pg_start "$folder" "$PG_PORT"
    ;;
dovecot-stop)
    sw_dovecot_stop "$folder"
    ;;
dovecot-start)
    sw_read_env "$folder"
    sw_dovecot_start "$folder" "$IMAP_PORT" "$LMTP_PORT" "$MAIL_PASSWORD"
    ;;
dovecot-restart)
    sw_read_env "$folder"
    sw_dovecot_restart "$folder" "$IMAP_PORT" "$LMTP_PORT" "$MAIL_PASSWORD"
    ;;
*)
    usage
    ;;
esac
