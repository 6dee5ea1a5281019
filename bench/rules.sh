#!/usr/bin/env bash
# Routing cost per request (ns, bytes allocated) of a frontend with 50 ACLs and 20 use_backend
# rules, with and without 6 http-request header rules (bench/Rules). Prints a markdown table.
# Extra argument: requests per case (default 1,000,000).
set -euo pipefail
cd "$(dirname "$0")/Rules"
dotnet build -c Release -nologo -v quiet >/dev/null
dotnet bin/Release/net10.0/Rules.dll "$@"
