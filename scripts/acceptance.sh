#!/usr/bin/env bash
# Runs the black-box acceptance scenarios that Lb already passes (tests/acceptance-passing.txt)
# against a Release build of Lb.Node. Extra arguments go to run.py (e.g. --only NAME).
set -euo pipefail
cd "$(dirname "$0")/.."
suite=../shared/acceptance/run.py
[ -f "$suite" ] || { echo "acceptance: $suite not found (../shared must sit beside the repo)" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
dotnet build src/Lb.Node -c Release -o "$out" -nologo -v quiet >/dev/null
names=$(grep -v '^#' tests/acceptance-passing.txt | tr -s ' \n' ',' | sed 's/^,//; s/,$//')
if [ $# -gt 0 ]; then
    python3 "$suite" --proxy "dotnet $out/Lb.Node.dll" "$@"
else
    python3 "$suite" --proxy "dotnet $out/Lb.Node.dll" --only "$names"
fi
