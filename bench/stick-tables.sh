#!/usr/bin/env bash
# Per-request cost and allocations of the stick rules and tables (bench/StickTables): lookups that
# hit, a request and its response through 'stick on', new keys into a full table, and the same
# from two threads at once. Prints a markdown table. Extra argument: operations per case (default 2,000,000).
set -euo pipefail
cd "$(dirname "$0")/StickTables"
dotnet build -c Release -nologo -v quiet >/dev/null
dotnet bin/Release/net10.0/StickTables.dll "$@"
