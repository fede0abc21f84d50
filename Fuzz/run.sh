#!/usr/bin/env bash
# Fuzzes every target (or the ones named) with libFuzzer for a fixed time each.
#
#   Fuzz/run.sh [seconds-per-target] [target...]      default: 30 s, every target
#
# Builds `loket-fuzz` with libFuzzer and AddressSanitizer (leak detection included) in
# .build-fuzz, runs each target on a temporary copy of its seed corpus (Fuzz/Corpus/<target>)
# and its regressions (Fuzz/Regressions/<target>), so the committed corpus never grows, and
# prints per target the executions and the coverage reached. Exits non-zero on any crash, leak,
# timeout or out-of-memory, after printing the input (base64 and the path it was saved to).
#
# Environment: FUZZ_JOBS (targets run at once; default: the number of CPUs),
# FUZZ_SCRATCH (build folder; default .build-fuzz; CI passes .build, whose packages are built),
# FUZZ_ADDRESS=0 (libFuzzer without ASan),
# FUZZ_OUT (where inputs and logs are kept; default a new folder under $TMPDIR),
# FUZZ_ARGS (extra libFuzzer flags, e.g. "-jobs=4" or "-only_ascii=1").
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-30}"
[ $# -gt 0 ] && shift
case "$seconds" in ''|*[!0-9]*) echo "usage: Fuzz/run.sh [seconds-per-target] [target...]" >&2; exit 2 ;; esac

scratch="${FUZZ_SCRATCH:-.build-fuzz}"
jobs="${FUZZ_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}"
# Package.swift reads LOKET_FUZZ and instruments only the project's own modules (not
# `--sanitize`, which would instrument every package too and share nothing with a normal build).
sanitizers=fuzzer
[ "${FUZZ_ADDRESS:-1}" != 0 ] && sanitizers=fuzzer,address
export LOKET_FUZZ="$sanitizers"
flags=(--scratch-path "$scratch")

echo "== building loket-fuzz (-sanitize=$sanitizers) in $scratch"
start=$(date +%s)
# (gold's warnings that it cannot export ASan's local `__asan_*` symbols are harmless and
# filtered out; any other line, a link error naming an ASan symbol included, is shown)
swift build "${flags[@]}" --product loket-fuzz 2>&1 | { grep -v -E "ld.gold: warning: Cannot export local symbol '__asan_|__asan_extra_spill_area" || true; }
binary="$(swift build "${flags[@]}" --show-bin-path 2>/dev/null | tail -n 1)/loket-fuzz"
echo "== built in $(( $(date +%s) - start )) s: $binary"

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(LOKET_FUZZ_TARGET=--list "$binary" 2>/dev/null)
fi
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets found" >&2; exit 1; }

out="${FUZZ_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/loket-fuzz.XXXXXX")}"
mkdir -p "$out"
echo "== ${#targets[@]} targets, ${seconds} s each, ${jobs} at a time; work in $out"

export SWIFT_BACKTRACE=enable=no   # libFuzzer's own handler writes the crash-* input
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:handle_abort=1:handle_sigill=1:handle_sigtrap=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0}"

# Runs one target; writes $out/<target>/{log,summary,status}.
run_target() {
  local target="$1" dir="$out/$1"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  [ -d "Fuzz/Corpus/$target" ] && cp -R "Fuzz/Corpus/$target/." "$dir/corpus/"
  [ -d "Fuzz/Regressions/$target" ] && cp -R "Fuzz/Regressions/$target/." "$dir/corpus/"
  local options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
                 -artifact_prefix="$dir/artifacts/")
  [ -f "Fuzz/Dictionaries/$target.dict" ] && options+=(-dict="Fuzz/Dictionaries/$target.dict")
  local status=0
  # shellcheck disable=SC2086
  LOKET_FUZZ_TARGET="$target" timeout --kill-after=30 $(( seconds + 300 )) \
    "$binary" "${options[@]}" ${FUZZ_ARGS:-} "$dir/corpus" </dev/null >"$dir/log" 2>&1 || status=$?
  echo "$status" >"$dir/status"
}

pids=()
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_target "$target" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || true; done

failed=0
printf '\n%-20s %12s %8s %8s %10s  %s\n' target executions cov ft corpus result
for target in "${targets[@]}"; do
  dir="$out/$target"
  status="$(cat "$dir/status" 2>/dev/null || echo 1)"
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)"
  line="$(grep -E '^#[0-9]+.*cov: ' "$dir/log" | tail -n 1 || true)"
  cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$line")"
  ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$line")"
  corpus="$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$line")"
  artifacts=("$dir"/artifacts/*)
  [ -e "${artifacts[0]}" ] || artifacts=()
  result=ok
  if [ "$status" != 0 ] || [ ${#artifacts[@]} -gt 0 ]; then result="FAILED (exit $status)"; failed=1; fi
  printf '%-20s %12s %8s %8s %10s  %s\n' "$target" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${corpus:-?}" "$result"
done

if [ "$failed" != 0 ]; then
  for target in "${targets[@]}"; do
    dir="$out/$target"
    status="$(cat "$dir/status" 2>/dev/null || echo 1)"
    artifacts=("$dir"/artifacts/*)
    [ -e "${artifacts[0]}" ] || artifacts=()
    [ "$status" = 0 ] && [ ${#artifacts[@]} -eq 0 ] && continue
    echo
    echo "==== $target failed (exit $status); log: $dir/log"
    grep -E -m 1 -B 2 -A 30 'ERROR: libFuzzer|ERROR: AddressSanitizer|ERROR: LeakSanitizer|Fatal error|fuzz property violated|==[0-9]+== ?ERROR|deadly signal|ALARM' "$dir/log" \
      | grep -v -E '^(MS:|INFO:)' | head -n 45 || tail -n 40 "$dir/log"
    for artifact in "${artifacts[@]}"; do
      echo "-- input $artifact ($(wc -c <"$artifact") bytes), base64:"
      base64 -w 0 "$artifact"; echo
      echo "-- replay: swift build --product loket-fuzz && .build/debug/loket-fuzz $target $artifact"
      echo "--      or: LOKET_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no $binary $artifact"
    done
  done
  echo
  echo "fuzzing found a problem; turn each input into a regression (Fuzz/README.md)" >&2
  exit 1
fi
echo
echo "no crash, leak or timeout in ${#targets[@]} targets"
# A temporary work folder is removed after a clean run (a FUZZ_OUT one is kept, to resume from).
[ -n "${FUZZ_OUT:-}" ] || rm -rf "$out"
