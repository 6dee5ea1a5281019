#!/usr/bin/env bash
# Cost of the map converters on the request path (ns, bytes per lookup: map_str with 10k
# entries, map_beg/map_reg/map_ip/map_dom with 100) and of runtime changes ('add map' on a
# 10k-entry map...), from bench/Patterns. Prints markdown tables.
# Extra argument: lookups per case (default 2,000,000).
set -euo pipefail
cd "$(dirname "$0")/Patterns"
dotnet build -c Release -nologo -v quiet >/dev/null
dotnet bin/Release/net10.0/Patterns.dll "$@"
