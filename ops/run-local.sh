#!/usr/bin/env bash
# The README's run command: SlaWatch against real servers on this machine.
#
#   ops/run-local.sh                 install what is missing, start the servers under .local/,
#                                    drop the sample complaints (ops/samples/*.eml) into
#                                    support@example.test, build and run the worker, and say
#                                    what happened. Ctrl-C stops the worker and the servers.
#   ops/run-local.sh --servers-only  the same without the worker (to run it from an IDE).
#
# Everything lives in .local/ (git-ignored): the PostgreSQL cluster, the mailboxes, the logs
# and the signing key. `rm -rf .local` starts afresh. Servers listen on loopback only, on
# 55432 (PostgreSQL), 51143 (IMAP), 51124 (LMTP), 51025 (SMTP) and 8080 (the worker's HTTP)
# unless a port is taken, in which case a free one is used and named.
# Environment: SW_WAIT_SECONDS (180) caps the wait for the worker to handle the samples.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. "$root/ops/lib/servers.sh"

servers_only=0
case "${1:-}" in
    --servers-only) servers_only=1 ;;
    "") ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "usage: ops/run-local.sh [--servers-only]" >&2; exit 2 ;;
esac

local_dir=$root/.local
support=support@example.test
database=slawatch
wait_seconds=${SW_WAIT_SECONDS:-180}
worker_pid=""
telegram_pid=""

say() { printf '\n==> %s\n' "$*"; }

cleanup() {
    local rc=$?
    trap - INT TERM EXIT
    if [ -n "$worker_pid" ] && sw_alive "$worker_pid"; then
        say "stopping the worker (pid $worker_pid)"
        kill -TERM "$worker_pid" 2>/dev/null || true
        for _ in $(seq 1 150); do sw_alive "$worker_pid" || break; sleep 0.1; done
        if sw_alive "$worker_pid"; then kill -KILL "$worker_pid" 2>/dev/null || true; fi
    fi
    if [ -n "$telegram_pid" ] && sw_alive "$telegram_pid"; then
        kill -TERM "$telegram_pid" 2>/dev/null || true
    fi
    if [ -n "${servers_dir:-}" ]; then
        say "stopping the servers in $servers_dir"
        sw_stop_all "$servers_dir" || true
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$servers_only" -eq 0 ] && ! command -v dotnet >/dev/null 2>&1; then
    echo "ops/run-local.sh: the .NET SDK is not installed (no 'dotnet' on PATH); install the .NET 10 SDK first." >&2
    exit 127
fi

say "checking the Debian packages (postgresql, dovecot-imapd, dovecot-lmtpd, python3-aiosmtpd)"
sw_install
bindir=$(sw_pg_bindir)

# The servers run as postgres and slawatch-mail, which must reach their folder. In a clone
# under a private home such as /root they cannot: keep the server data in /var/tmp then,
# linked as .local/servers.
mkdir -p "$local_dir"
servers_dir=$local_dir
if ! blocked=$(sw_unreachable_parent "$local_dir"); then
    servers_dir=/var/tmp/slawatch-local-$(printf '%s' "$root" | cksum | cut -d' ' -f1)
    mkdir -p "$servers_dir"
    ln -sfn "$servers_dir" "$local_dir/servers"
    echo "    the server users cannot enter $blocked: server data goes to $servers_dir (linked as .local/servers)"
fi

# A run that was killed may have left servers behind: stop them first.
sw_stop_all "$servers_dir" 2>/dev/null || true

pick_port() {
    local name=$1 preferred=$2 port
    port=$(sw_port_or_free "$preferred")
    if [ "$port" != "$preferred" ]; then
        echo "    $name: port $preferred is taken, using $port" >&2
    fi
    echo "$port"
}
say "choosing loopback ports"
pg_port=$(pick_port PostgreSQL 55432)
imap_port=$(pick_port IMAP 51143)
lmtp_port=$(pick_port LMTP 51124)
smtp_port=$(pick_port SMTP 51025)
http_port=$(pick_port HTTP 8080)
echo "    PostgreSQL $pg_port, IMAP $imap_port, LMTP $lmtp_port, SMTP $smtp_port, worker HTTP $http_port"

say "starting PostgreSQL, Dovecot and the SMTP relay under $servers_dir"
sw_start_all "$servers_dir" "$pg_port" "$imap_port" "$lmtp_port" "$smtp_port" secret
conf=$(sw_dovecot_conf "$servers_dir")

psql_local() {
    "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres "$@"
}
if [ "$(psql_local -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
    psql_local -d postgres -c "CREATE DATABASE $database"
fi
psql_db() { psql_local -d "$database" "$@"; }

if [ ! -s "$local_dir/signing-key" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 >"$local_dir/signing-key")
fi

# API keys for the demo (agent, supervisor, ops), made once and kept in .local/api-keys: SlaWatch is
# given only their sha256 hashes, as an operator configures it (see `dotnet SlaWatch.Worker.dll apikey`).
new_key() { printf 'sw_%s' "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; }
if [ ! -s "$local_dir/api-keys" ]; then
    (umask 077 && printf 'agent_key=%s\nsupervisor_key=%s\nops_key=%s\n' "$(new_key)" "$(new_key)" "$(new_key)" >"$local_dir/api-keys")
fi
. "$local_dir/api-keys"
key_hash() { printf 'sha256:%s' "$(printf '%s' "$1" | sha256sum | cut -d' ' -f1)"; }

# Counts that survive a missing table (the worker creates the schema on its first start).
count() { psql_db -Atc "$1" 2>/dev/null || echo 0; }
# The email samples only: the Telegram stand-in's complaint is reported on its own.
complaints_sql="SELECT count(*) FROM complaints WHERE channel = 'Imap'"
inbound_sql="SELECT count(*) FROM inbound_messages"
outbox_sql="SELECT count(*) FROM outbox WHERE channel = 'Email'"
sent_sql="SELECT count(*) FROM outbox WHERE channel = 'Email' AND lower(status::text) = 'sent'"
base_complaints=$(count "$complaints_sql")
base_inbound=$(count "$inbound_sql")
base_outbox=$(count "$outbox_sql")
base_sent=$(count "$sent_sql")

say "dropping the samples (ops/samples/*.eml) into $support through the SMTP relay"
samples=("$root"/ops/samples/*.eml)
"$SW_PYTHON" "$root/ops/lib/send-samples.py" --smtp "127.0.0.1:$smtp_port" --to "$support" "${samples[@]}" | sed 's/^/    /'
mapfile -t senders < <(grep -h -m1 -i '^Return-Path:' "${samples[@]}" | sed -n 's/.*<\([^>]\+\)>.*/\1/p' | sort -u)
echo "    $support now holds $(doveadm -c "$conf" search -u "$support" mailbox INBOX ALL 2>/dev/null | wc -l) message(s) in INBOX"

how_to_look() {
    say "how to look"
    cat <<EOF
    database     $bindir/psql "host=127.0.0.1 port=$pg_port user=postgres dbname=$database"
    a mailbox    doveadm -c $conf fetch -u ana@customer.test text.utf8 mailbox INBOX
    support Sent doveadm -c $conf fetch -u $support 'hdr.to hdr.subject' mailbox Sent
    any client   IMAP 127.0.0.1:$imap_port, user = the address, password 'secret', no TLS
    SMTP in      127.0.0.1:$smtp_port (any address is a mailbox); relay log $servers_dir/smtp/messages.log
    dashboard    http://127.0.0.1:$http_port/hangfire
    metrics      curl -s http://127.0.0.1:$http_port/metrics | grep '^slawatch_'
    logs         .local/worker.log, $servers_dir/dovecot/dovecot.log, $servers_dir/pg/postgres.log
EOF
}

if [ "$servers_only" -eq 1 ]; then
    how_to_look
    cat <<EOF

    To run the worker yourself against these servers:
    ConnectionStrings__SlaWatch="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$database"
    SlaWatch__Inboxes__0__Port=$imap_port SlaWatch__Smtp__Port=$smtp_port (see ops/run-local.sh for the rest)
EOF
    say "servers are up; Ctrl-C stops them"
    while true; do sleep 1; done
fi

say "building the worker (dotnet build src/Worker -c Release)"
if ! dotnet build "$root/src/Worker/SlaWatch.Worker.csproj" -c Release -nologo -v quiet >"$local_dir/build.log" 2>&1; then
    grep -E 'error|Error' "$local_dir/build.log" | sort -u | head -n 30 | sed 's/^/    /'
    echo
    echo "ops/run-local.sh: the worker does not build (full log: .local/build.log)."
    echo "The servers ran and the samples were delivered; they stop now. 'ops/run-local.sh --servers-only' keeps them up."
    exit 1
fi
worker_dir=$root/src/Worker/bin/Release/net10.0

inbox=SlaWatch__Inboxes__0__
export DOTNET_ENVIRONMENT=Development
export ConnectionStrings__SlaWatch="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$database"
export Urls="http://127.0.0.1:$http_port"
export SlaWatch__PublicBaseUrl="http://127.0.0.1:$http_port"
SlaWatch__SigningKey=$(cat "$local_dir/signing-key")
export SlaWatch__SigningKey
export "${inbox}Name=support" "${inbox}Channel=Imap" "${inbox}Host=127.0.0.1" "${inbox}Port=$imap_port"
export "${inbox}Security=None" "${inbox}Username=$support" "${inbox}Password=secret" "${inbox}Address=$support"
export "${inbox}Folder=INBOX" "${inbox}SentFolder=Sent" "${inbox}DefaultLanguage=en"
export SlaWatch__Smtp__Host=127.0.0.1 SlaWatch__Smtp__Port="$smtp_port" SlaWatch__Smtp__Security=None
export SlaWatch__Smtp__BounceAddress=bounces@example.test
i=0
for role in agent supervisor ops; do
    key_var=${role}_key
    export "SlaWatch__Api__Keys__${i}__Name=demo $role" "SlaWatch__Api__Keys__${i}__Role=$role"
    export "SlaWatch__Api__Keys__${i}__Hash=$(key_hash "${!key_var}")"
    i=$((i + 1))
done
# The SLA clock, compressed so a local run shows it within minutes: a person should answer within
# SW_FIRST_RESPONSE (default one minute instead of one hour); the team lead hears at two thirds of it,
# the supervisor at the breach, the head of support 30 s later unless someone acknowledged.
first_response=${SW_FIRST_RESPONSE:-00:01:00}
export SlaWatch__Sla__FirstResponse="$first_response" SlaWatch__Sla__AtRisk__0="${SW_AT_RISK:-00:00:40}"
export SlaWatch__Sla__PromiseAtRiskLead=00:00:30
export SlaWatch__Escalation__Levels__0__Name="team lead" SlaWatch__Escalation__Levels__0__Trigger=AtRisk SlaWatch__Escalation__Levels__0__Notify__0=lead@example.test
export SlaWatch__Escalation__Levels__1__Name=supervisor SlaWatch__Escalation__Levels__1__Trigger=Breached SlaWatch__Escalation__Levels__1__Notify__0=supervisor@example.test
export SlaWatch__Escalation__Levels__2__Name="head of support" SlaWatch__Escalation__Levels__2__Trigger=Breached+00:00:30 SlaWatch__Escalation__Levels__2__Notify__0=head@example.test

# A local stand-in of the Telegram Bot API holding one customer message, so a social complaint flows too
# (README "Social inboxes" says how to connect a real bot instead).
telegram_port=$(sw_port_or_free 51180)
telegram_sent=$local_dir/telegram-sent.jsonl
: >"$telegram_sent"
say "starting a local stand-in of the Telegram Bot API on port $telegram_port (one sample customer message)"
"$SW_PYTHON" "$root/ops/lib/telegram-standin.py" "$telegram_port" "$telegram_sent" >>"$local_dir/telegram-standin.log" 2>&1 &
telegram_pid=$!
sw_wait_port "$telegram_port" 10 "the Telegram stand-in"
export SlaWatch__Inboxes__1__Name=telegram SlaWatch__Inboxes__1__Channel=Telegram SlaWatch__Inboxes__1__BotToken=123456:local-stand-in
export SlaWatch__Inboxes__1__BaseUrl="http://127.0.0.1:$telegram_port" SlaWatch__Inboxes__1__PollInterval=00:00:05

say "starting the worker (output below and in .local/worker.log)"
printf '\n----- %s: ops/run-local.sh starts the worker -----\n' "$(date -Is)" >>"$local_dir/worker.log"
(cd "$worker_dir" && exec dotnet SlaWatch.Worker.dll) > >(tee -a "$local_dir/worker.log") 2>&1 &
worker_pid=$!

# Done when the six complaints are recorded and six acknowledgements sent, or - on a re-run,
# where the rate limits may rightly hold acknowledgements back - when all samples are
# recorded and nothing has changed for 5 s; or when the worker exits, or at the deadline.
say "waiting up to ${wait_seconds}s for the worker to record the samples and send the acknowledgements"
deadline=$((SECONDS + wait_seconds))
last_state="" quiet_since=$SECONDS next_report=$((SECONDS + 10))
outcome="the deadline passed"
while true; do
    if ! sw_alive "$worker_pid"; then
        wait "$worker_pid" && code=0 || code=$?
        worker_pid=""
        outcome="the worker exited with code $code"
        break
    fi
    c=$(( $(count "$complaints_sql") - base_complaints ))
    i=$(( $(count "$inbound_sql") - base_inbound ))
    o=$(( $(count "$outbox_sql") - base_outbox ))
    s=$(( $(count "$sent_sql") - base_sent ))
    state="$c/$i/$o/$s"
    if [ "$state" != "$last_state" ]; then last_state=$state; quiet_since=$SECONDS; fi
    if [ "$c" -ge 6 ] && [ "$s" -ge 6 ]; then
        outcome="all six complaints recorded and acknowledged"
        break
    fi
    if [ "$i" -ge "${#samples[@]}" ] && [ $((SECONDS - quiet_since)) -ge 5 ] && [ "$o" -le "$s" ]; then
        outcome="all samples recorded; nothing more to send"
        break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then break; fi
    if [ "$SECONDS" -ge "$next_report" ]; then
        echo "    ... new complaints $c, inbound messages $i/${#samples[@]}, outbox rows $o, sent $s"
        next_report=$((SECONDS + 10))
    fi
    sleep 0.5
done

query() {
    local title=$1 sql=$2
    echo "    $title"
    psql_db -P pager=off -P footer=off -c "$sql" 2>&1 | sed 's/^/      /' || true
}
say "what happened: $outcome"
query "complaints recorded (newest first):" \
    "SELECT reference, language, customer_address, status FROM complaints ORDER BY reference DESC LIMIT 20"
query "inbound mail by classification (machine mail is recorded, never answered):" \
    "SELECT classification, count(*) AS messages FROM inbound_messages GROUP BY classification ORDER BY classification"
query "outbox (acknowledgements and other mail SlaWatch sends):" \
    "SELECT status, recipient, kind FROM outbox ORDER BY recipient, kind LIMIT 30"
echo "    what the mailboxes hold now (IMAP):"
"$SW_PYTHON" - "$imap_port" "$support" "${senders[@]}" <<'PY' || true
import email, email.policy, imaplib, sys

port, support, senders = int(sys.argv[1]), sys.argv[2], sys.argv[3:]

def folder(address, name):
    with imaplib.IMAP4("127.0.0.1", port) as imap:
        imap.login(address, "secret")
        imap.select(name, readonly=True)
        numbers = imap.search(None, "ALL")[1][0].split()
        subject = ""
        if numbers:
            data = imap.fetch(numbers[-1], "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")[1][0][1]
            subject = str(email.message_from_bytes(data, policy=email.policy.default)["Subject"] or "")
        return len(numbers), subject

for address in senders:
    count, subject = folder(address, "INBOX")
    print(f"      {address:<24} INBOX: {count} message(s)" + (f", latest: {subject}" if subject else ""))
count, subject = folder(support, "Sent")
print(f"      {support:<24} Sent:  {count} message(s)" + (f", latest: {subject}" if subject else ""))
PY
query "the Telegram stand-in's complaint (a customer wrote to the bot in Dutch):" \
    "SELECT reference, language, customer_address AS chat, status FROM complaints WHERE channel = 'Telegram' ORDER BY reference DESC LIMIT 5"
echo "    what SlaWatch answered in the Telegram chat (.local/telegram-sent.jsonl), first lines:"
"$SW_PYTHON" - "$telegram_sent" <<'PY' || true
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    sent = json.loads(line)
    text = " / ".join(l for l in sent.get("text", "").splitlines() if l.strip())
    print(f"      chat {sent.get('chat_id')}, reply to message {sent.get('reply_parameters', {}).get('message_id')}: {text[:160]}...")
PY
how_to_look

if [ -n "$worker_pid" ]; then
    say "the SLA clock (compressed: first response within $first_response; set SW_FIRST_RESPONSE=01:00:00 for the real hour)"
    echo "    nobody answers the samples, so the team lead (lead@example.test) is warned when they are at risk and the"
    echo "    supervisor (supervisor@example.test) when they breach. Answer one from the support mailbox's Sent folder,"
    echo "    or acknowledge an alert with the link in it, and watch the chain stop."
    sla_deadline=$((SECONDS + 150))
    while sw_alive "$worker_pid" && [ "$SECONDS" -lt "$sla_deadline" ]; do
        breached=$(count "SELECT count(*) FROM alerts WHERE stage = 'Breached'" 2>/dev/null || echo 0)
        [ "${breached:-0}" -gt 0 ] && break
        sleep 1
    done
    query "alerts raised (threshold → recorded; never before the threshold):" \
        "SELECT c.reference, a.stage, a.level_name, a.recipients, to_char(a.threshold_at, 'HH24:MI:SS.MS') AS threshold, to_char(a.recorded_at, 'HH24:MI:SS.MS') AS recorded FROM alerts a JOIN complaints c ON c.id = a.complaint_id ORDER BY a.recorded_at LIMIT 30"
    echo "    read an alert:  doveadm -c $conf fetch -u supervisor@example.test text.utf8 mailbox INBOX"
    if command -v curl >/dev/null 2>&1; then
        echo "    metrics (the acknowledgement latency histogram's count and sum, the gauges, the alerts sent):"
        curl -s "http://127.0.0.1:$http_port/metrics" \
            | grep -E '^slawatch_(acknowledgement_latency_seconds_(count|sum)|complaints_(open|at_risk|breached)|alerts_sent_total)' \
            | sed 's/otel_scope_name="SlaWatch",//; s/^/      /'
    fi

    # The rest of a complaint's life, as an agent drives it through the API: a promise with a margin, a note for
    # the customer, the promise moved, the resolution. Each one puts a message in the customer's mailbox.
    ref=$(count "SELECT reference FROM complaints WHERE customer_address = 'ana@customer.test' ORDER BY id DESC LIMIT 1")
    if sw_alive "$worker_pid" && [ -n "$ref" ] && [ "$ref" != 0 ]; then
        say "the life of $ref (Ana's complaint), driven through the API as an agent would"
        api() {
            local method=$1 path=$2 body=$3
            printf '    %-4s %-46s ' "$method" "$path"
            curl -sS -X "$method" -H "X-Api-Key: $agent_key" -H 'Content-Type: application/json' -d "$body" \
                -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$http_port$path" || true
        }
        progress_before=$(count "SELECT count(*) FROM outbox o JOIN complaints c ON c.id = o.complaint_id WHERE c.reference = '$ref' AND o.kind = 'progress'")
        api PUT "/api/complaints/$ref/promise" "{\"dueAt\":\"$(date -u -d '+3 days' +%Y-%m-%dT16:00:00Z)\",\"marginDays\":1,\"reason\":\"a replacement is on its way\"}"
        api POST "/api/complaints/$ref/notes" '{"text":"The replacement left our warehouse this morning.","sendToCustomer":true}'
        api PUT "/api/complaints/$ref/promise" "{\"dueAt\":\"$(date -u -d '+5 days' +%Y-%m-%dT16:00:00Z)\",\"reason\":\"the courier reported a delay\"}"
        api POST "/api/complaints/$ref/resolve" '{"note":"delivered and confirmed by phone"}'
        progress_deadline=$((SECONDS + 30))
        while [ "$SECONDS" -lt "$progress_deadline" ]; do
            sent=$(count "SELECT count(*) FROM outbox o JOIN complaints c ON c.id = o.complaint_id WHERE c.reference = '$ref' AND o.kind = 'progress' AND lower(o.status::text) = 'sent'")
            [ $((sent - progress_before)) -ge 4 ] && break
            sleep 0.5
        done
        query "what Ana was sent about $ref (oldest first):" \
            "SELECT o.kind, o.status, o.subject FROM outbox o JOIN complaints c ON c.id = o.complaint_id WHERE c.reference = '$ref' AND o.recipient = 'ana@customer.test' ORDER BY o.id"
        query "its timeline (the append-only event log):" \
            "SELECT to_char(e.at, 'HH24:MI:SS') AS at, e.type, e.actor, left(e.detail, 70) AS detail FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.reference = '$ref' ORDER BY e.id"
        status_link=$(doveadm -c "$conf" fetch -u ana@customer.test text.utf8 mailbox INBOX 2>/dev/null \
            | grep -o "http://127.0.0.1:$http_port/status/[A-Za-z0-9._~-]*" | tail -n 1 || true)
        say "open these in a browser"
        echo "    the customer's status page (the signed link in every message to Ana; no key needed, nothing else reachable):"
        echo "      ${status_link:-(no status link found in the mailbox of Ana)}"
        echo "    the supervisor board (what is at risk and breached now, live countdowns, who was alerted):"
        echo "      http://127.0.0.1:$http_port/board   user: anything, password: the supervisor key below"
        echo "    the job dashboard: http://127.0.0.1:$http_port/hangfire   password: the ops key below"
        echo "    API keys of this demo (.local/api-keys): agent $agent_key"
        echo "                                             supervisor $supervisor_key"
        echo "                                             ops $ops_key"
        echo "    e.g. curl -s -H \"X-Api-Key: $agent_key\" http://127.0.0.1:$http_port/api/complaints/$ref"
    fi
fi

if [ -z "$worker_pid" ]; then
    echo
    echo "ops/run-local.sh: $outcome; see .local/worker.log. Stopping the servers."
    exit 1
fi
say "SlaWatch is running; Ctrl-C stops the worker and the servers"
wait "$worker_pid" && code=0 || code=$?
worker_pid=""
echo "ops/run-local.sh: the worker exited with code $code"
exit "$code"
