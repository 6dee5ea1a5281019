#!/usr/bin/env bash
# Cost of one Prometheus scrape (ms, KiB allocated, KiB written) for 10 backends x 20 servers
# (bench/Prometheus), with 'show stat' on the same node for comparison. Prints a markdown table.
# Extra arguments: backends servers scrapes (default 10 20 300).
set -euo pipefail
cd "$(dirname "$0")/Prometheus"
dotnet build -c Release -nologo -v quiet >/dev/null
dotnet bin/Release/net10.0/Prometheus.dll "$@"
