#!/usr/bin/env bash
# A short run of every fuzz target in fuzz/ over its seed corpus (FUZZ_SECONDS each, default
# 10) with the nightly toolchain (`rustup toolchain install nightly`; .ci/run installs it),
# installing cargo-fuzz if it is missing. New inputs the fuzzer finds go to a scratch
# directory, so the committed corpus stays as it is; a crash leaves its input in
# fuzz/artifacts/<target>/ and makes the script fail after every target has run.
#
# FUZZ_TARGETS limits the run to some targets (space-separated names).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-10}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
# cargo fuzz passes unstable flags to rustc (coverage instrumentation), which the nightly
# toolchain takes. No sanitizer: accord has no unsafe code outside its hashing, and overflow
# checks and debug assertions (-a) catch the arithmetic on input data.
fuzz=(cargo +nightly fuzz)
flags=(--sanitizer none --debug-assertions)

"${fuzz[@]}" build "${flags[@]}"

targets="${FUZZ_TARGETS:-$("${fuzz[@]}" list)}"
failed=()
for target in $targets; do
  scratch="$(mktemp -d)"
  printf '\n== fuzz %s (%ss)\n' "$target" "$seconds"
  if ! "${fuzz[@]}" run "${flags[@]}" "$target" "$scratch" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1; then
    failed+=("$target")
  fi
  rm -rf "$scratch"
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz targets that failed: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz: every target ran ${seconds}s without a failure"
