#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests need (haproxy for the
# reference checks, socat for admin-socket tests), then `dotnet test Lb.sln`.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v socat >/dev/null 2>&1 || missing+=(socat)
if [ ${#missing[@]} -gt 0 ]; then
    echo "test.sh: installing ${missing[*]}"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "test.sh: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
        sudo="sudo"
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends haproxy socat
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
# The in-process nodes run as Lb.Node does: socket completions on the I/O threads (RuntimeTuning).
export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS="${DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS:-1}"
dotnet test Lb.sln "$@" 2>&1 | tee "$log" || status=$?

# One plain closing line summed over the test projects: "N passed, N failed, N skipped".
# No test run at all counts as a failure.
if ! awk '/(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+/ {
        gsub(/,/, ""); for (i = 1; i <= NF; i++) {
            if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s; if (p + f == 0) exit 1 }' "$log"; then
    [ "$status" -ne 0 ] || status=1
fi
exit "$status"
