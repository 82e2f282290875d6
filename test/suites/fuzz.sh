#!/usr/bin/env bash
# Hostile input to the plain-C parsers: libFuzzer with ASan and UBSan over
# the token and start_time code, for a bounded time from the committed seeds.
set -uo pipefail
cd "$(dirname "$0")/../.."
FUZZ_SECONDS=${FUZZ_SECONDS:-45} bash scripts/fuzz.sh
