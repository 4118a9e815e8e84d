#!/usr/bin/env bash
# The README's test command: installs what the tests need, runs every test project of the
# solution, and ends with one line "N passed, N failed" added up from the TRX results.
# Exits non-zero on any failure, on a project that produced no results, or when nothing ran.
#
#   ops/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Smoke]
#
# The integration tests start their own PostgreSQL, Dovecot and SMTP relay on free loopback
# ports (tests/SlaWatch.Integration.Tests/Fixtures); this script only installs the packages.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if ! command -v dotnet >/dev/null 2>&1; then
    echo "ops/test.sh: the .NET SDK is not installed (no 'dotnet' on PATH)." >&2
    echo "ops/test.sh: install the .NET 10 SDK (global.json pins $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' global.json)) and run this again." >&2
    exit 127
fi

. "$root/ops/lib/servers.sh"
sw_install
sw_pg_bindir >/dev/null

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Every test project writes its TRX into its own TestResults/ (git-ignored); a prefix unique to
# this run tells our files from older ones.
prefix="ops-test-$(date +%Y%m%d%H%M%S)-$$"
rm -f tests/*/TestResults/ops-test-*.trx
test_projects=()
while IFS= read -r project; do
    if grep -qiE '<IsTestProject>\s*true\s*</IsTestProject>|"Microsoft\.NET\.Test\.Sdk"' "$project"; then
        test_projects+=("$project")
    fi
done < <(dotnet sln SlaWatch.sln list | grep -E '\.csproj$' | tr '\\' '/' | sort)

echo "ops/test.sh: dotnet $(dotnet --version); test projects: ${#test_projects[@]}"
set +e
dotnet test SlaWatch.sln -c Release \
    --logger "trx;LogFilePrefix=$prefix" \
    --blame-hang-timeout 15m --blame-hang-dump-type none \
    "$@"
test_rc=$?
set -e

passed=0 failed=0 skipped=0 no_results=0
attr() {
    local v
    v=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2")
    echo "${v:-0}"
}
for project in "${test_projects[@]}"; do
    dir=$(dirname "$project")
    name=$(basename "$project" .csproj)
    shopt -s nullglob
    files=("$dir"/TestResults/"$prefix"*.trx)
    shopt -u nullglob
    if [ "${#files[@]}" -eq 0 ]; then
        echo "ops/test.sh: $name produced no test results (did it build?)"
        no_results=$((no_results + 1))
        continue
    fi
    p=0 f=0 t=0 e=0
    for trx in "${files[@]}"; do
        counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1 || true)
        if [ -z "$counters" ]; then
            echo "ops/test.sh: $trx has no <Counters>: the run of $name was cut short"
            no_results=$((no_results + 1))
            continue
        fi
        t=$((t + $(attr total "$counters")))
        e=$((e + $(attr executed "$counters")))
        p=$((p + $(attr passed "$counters")))
        f=$((f + $(attr failed "$counters") + $(attr error "$counters") + $(attr timeout "$counters") + $(attr aborted "$counters")))
    done
    echo "ops/test.sh: $name: $p passed, $f failed, $((t - e)) not run"
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + t - e))
done

status=0
if [ "$test_rc" -ne 0 ]; then
    echo "ops/test.sh: dotnet test exited with code $test_rc"
    status=1
fi
if [ "$no_results" -gt 0 ] || [ "$failed" -gt 0 ]; then status=1; fi
if [ $((passed + failed)) -eq 0 ]; then
    echo "ops/test.sh: no test results were produced"
    status=1
fi
if [ "$skipped" -gt 0 ]; then echo "ops/test.sh: $skipped test(s) not run (skipped)"; fi
echo "$passed passed, $failed failed"
exit "$status"
