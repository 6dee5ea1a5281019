#!/usr/bin/env bash
# Per-pick cost and allocations of each balancing algorithm for 2, 20 and 200 servers
# (bench/Balancing). Prints a markdown table. Extra argument: picks per case (default 2,000,000).
set -euo pipefail
cd "$(dirname "$0")/Balancing"
dotnet build -c Release -nologo -v quiet >/dev/null
dotnet bin/Release/net10.0/Balancing.dll "$@"
