#!/usr/bin/env bash
# Hostile input to the plain-C parsers: libFuzzer with ASan and UBSan over
# the token, start_time and working-hours code, for a bounded time from the
# committed seeds.
set -uo pipefail
cd "$(dirname "$0")/../.."
FUZZ_SECONDS=${FUZZ_SECONDS:-45} bash scripts/fuzz.sh
