#!/usr/bin/env bash
# SlaWatch's benchmarks B3 and B4 (issue 3; what they measure and the figures: docs/benchmarks-deadlines.md).
# Builds tests/SlaWatch.DeadlineBenchmarks in Release (it builds the worker beside it), installs what the servers
# need the way ops/test.sh does, and runs b3 then b4 against one private PostgreSQL (fsync on), Dovecot and SMTP
# relay on loopback (ops/lib/test-servers.sh). Prints a Markdown report and writes it under .bench/ (git-ignored),
# with the worker's log.
#
#   ops/bench-deadlines.sh              b3 then b4 (about 20 minutes: B3 waits for ten minutes of thresholds)
#   ops/bench-deadlines.sh b4           only one of them
#   ops/bench-deadlines.sh --quick      smoke sizes (a few minutes); its figures are not the benchmark's
#
# Needs root (the private Dovecot stores mail as its own user; apt-get installs what is missing).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if ! command -v dotnet >/dev/null 2>&1; then
    echo "ops/bench-deadlines.sh: the .NET SDK is not installed (no 'dotnet' on PATH)." >&2
    exit 127
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ops/bench-deadlines.sh: run as root: the private Dovecot runs as root and stores mail as its own user." >&2
    exit 1
fi

. "$root/ops/lib/servers.sh"
sw_install
sw_pg_bindir >/dev/null

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build tests/SlaWatch.DeadlineBenchmarks/SlaWatch.DeadlineBenchmarks.csproj -c Release --nologo -v quiet
if [ "$#" -eq 0 ]; then
    set -- b3 b4
fi
exec dotnet tests/SlaWatch.DeadlineBenchmarks/bin/Release/net10.0/SlaWatch.DeadlineBenchmarks.dll "$@"
