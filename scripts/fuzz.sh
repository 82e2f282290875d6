#!/usr/bin/env bash
# Fuzzes the plain-C token, start_time and working-hours parsers with libFuzzer, built with
# AddressSanitizer and UndefinedBehaviorSanitizer, each for FUZZ_SECONDS
# (default 60) from a copy of its committed seed corpus in test/fuzz/corpus/.
# Needs no server.  Exits non-zero if a fuzzer fails to build or finds a
# crash, a memory error, undefined behaviour, a leak or a broken invariant;
# the input that did it is kept as test/fuzz/crash-NAME-*.
#
# Replay one input: test/fuzz/NAME_fuzz test/fuzz/crash-NAME-...
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-64}
FUZZERS=${FUZZERS:-"token timeparse hours"}
OUT=test/fuzz					# binaries and crash-* inputs; both git-ignored
WORK=test/fuzz/corpus-work		# git-ignored, so the committed seeds stay as they are

case $FUZZ_SECONDS in
	'' | *[!0-9]* | 0) echo "FUZZ_SECONDS must be a positive integer (0 would mean forever)" >&2; exit 2 ;;
esac

# Debian's clang ships libFuzzer's runtime in a package of its own.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	install_packages clang-14 libclang-rt-14-dev || { echo "could not install clang" >&2; exit 1; }
fi
CLANG=${CLANG:-$(command -v clang-14 || command -v clang)}
if [ -z "$CLANG" ]; then
	echo "clang not found: install clang-14 and libclang-rt-14-dev" >&2
	exit 1
fi

mkdir -p "$WORK"
logdir=$(mktemp -d /tmp/booking-fuzz.XXXXXX)
trap 'rm -rf "$logdir"' EXIT

failed=0
summary=""
for f in $FUZZERS; do
	bin=$OUT/${f}_fuzz
	log=$logdir/$f.log
	# the plain C a fuzzer drives: src/<name>.c, but the token's codec
	src=src/$f.c
	[ "$f" = token ] && src=src/token_codec.c
	if ! "$CLANG" -g -O1 -Wall -Wextra -Werror \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Isrc -o "$bin" "test/fuzz/${f}_fuzz.c" "$src" >"$log" 2>&1; then
		cat "$log"
		summary="${summary}fuzz $f: FAILED to build"$'\n'
		failed=1
		continue
	fi

	rm -rf "${WORK:?}/$f"
	cp -R "test/fuzz/corpus/$f" "$WORK/$f"

	echo "== fuzzing $f for ${FUZZ_SECONDS}s"
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
		"$bin" -max_total_time="$FUZZ_SECONDS" -max_len="$FUZZ_MAX_LEN" \
		-timeout=10 -print_final_stats=1 -artifact_prefix="$OUT/crash-$f-" \
		"$WORK/$f" >"$log" 2>&1
	rc=$?

	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	corpus=$(find "$WORK/$f" -type f | wc -l)
	if [ "$rc" -eq 0 ]; then
		summary="${summary}fuzz $f: ok, ${runs:-?} runs in ${FUZZ_SECONDS}s, corpus $corpus inputs, no crash"$'\n'
	else
		tail -n 60 "$log"
		artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		summary="${summary}fuzz $f: FAILED (exit $rc) after ${runs:-?} runs${artifact:+, input saved as $artifact}"$'\n'
		failed=1
	fi
done

printf '%s' "$summary"
exit "$failed"
