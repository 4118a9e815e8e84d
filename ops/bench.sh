#!/usr/bin/env bash
# SlaWatch's benchmarks B1 and B2 (issue 2; what they measure and the figures: docs/benchmarks.md).
# Builds the benchmark program in Release, publishes the worker the way the Dockerfile does, installs what the servers need
# the way ops/test.sh does, and runs each benchmark against its own private PostgreSQL, Dovecot and SMTP relay
# on loopback. Each prints a Markdown report and writes it under .bench/ (git-ignored), with the worker logs.
#
#   ops/bench.sh                          B1 then B2, with their defaults
#   ops/bench.sh b1 [--messages 10000] [--rounds 3] [--batch-size N] [--append-batch 250]
#   ops/bench.sh b2 [--messages 300] [--rate 5] [--burst 100] [--poll-messages 60] [--poll-rate 5] [--floor 20] [--seed 2]
#   ops/bench.sh b1 --messages 2000 b2 --messages 100     both, each with its own arguments
#
# Needs root (the private Dovecot stores mail as its own user; apt-get installs what is missing).
# Exits non-zero when a benchmark failed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if ! command -v dotnet >/dev/null 2>&1; then
    echo "ops/bench.sh: the .NET SDK is not installed (no 'dotnet' on PATH)." >&2
    exit 127
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ops/bench.sh: run as root: the private Dovecot runs as root and stores mail as its own user." >&2
    exit 1
fi

# Split the arguments into runs: each "b1" or "b2" starts one; no arguments at all means both.
runs=()
current=""
for arg in "$@"; do
    case "$arg" in
    b1 | b2)
        [ -z "$current" ] || runs+=("$current")
        current=$arg
        ;;
    *)
        if [ -z "$current" ]; then
            echo "ops/bench.sh: arguments start with b1 or b2, not '$arg' (see the top of ops/bench.sh)" >&2
            exit 2
        fi
        current+=$'\x1f'$arg
        ;;
    esac
done
[ -z "$current" ] || runs+=("$current")
[ "${#runs[@]}" -gt 0 ] || runs=(b1 b2)

. "$root/ops/lib/servers.sh"
sw_install
sw_pg_bindir >/dev/null

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
project=tests/SlaWatch.Benchmarks/SlaWatch.Benchmarks.csproj
echo "ops/bench.sh: building $project (Release)"
dotnet build "$project" -c Release -nologo -v quiet
bench=tests/SlaWatch.Benchmarks/bin/Release/net10.0/SlaWatch.Benchmarks.dll

# The worker under test is the one the Dockerfile ships: published in Release, ReadyToRun for this machine's
# architecture (keep these flags in step with the Dockerfile's publish line).
case "$(uname -m)" in
aarch64 | arm64) rid=linux-arm64 ;;
*) rid=linux-x64 ;;
esac
worker_dir="$root/.bench/worker"
echo "ops/bench.sh: publishing the worker as the Dockerfile does ($rid, ReadyToRun) into .bench/worker"
rm -rf "$worker_dir"
dotnet publish src/Worker/SlaWatch.Worker.csproj -c Release -r "$rid" --self-contained false \
    -p:PublishReadyToRun=true -p:UseAppHost=false -o "$worker_dir" -nologo -v quiet
export SW_BENCH_WORKER_DIR="$worker_dir"

status=0
for run in "${runs[@]}"; do
    IFS=$'\x1f' read -r -a argv <<<"$run"
    echo "ops/bench.sh: dotnet $bench ${argv[*]}"
    if ! dotnet "$bench" "${argv[@]}"; then
        echo "ops/bench.sh: ${argv[0]} failed" >&2
        status=1
    fi
done
exit "$status"
