#!/usr/bin/env bash
# Builds bench/ConfigParse in Release and runs it: parses + validates the generated
# 10,000-line config 20 times (after a warm-up) and prints min/median/max milliseconds.
# Extra arguments go to the benchmark: [runs] [warmup].
set -euo pipefail
cd "$(dirname "$0")/ConfigParse"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet bin/Release/net10.0/ConfigParse.dll "$@"
