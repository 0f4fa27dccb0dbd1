#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for a while and prints how many inputs each executed.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 300)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain for the sanitizer
# instrumentation; with only a stable toolchain it falls back to RUSTC_BOOTSTRAP=1 and no
# sanitizer. The corpus grows in fuzz/corpus/<target> (not committed; fuzz/seeds/<target> is the
# committed starting point), and any crash is saved in fuzz/artifacts/<target> and makes this
# script exit non-zero. Figures go to docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${1:-300}"
targets=(questionnaire_load expr_parse response_load)

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    run=(cargo +nightly fuzz run)
else
    export RUSTC_BOOTSTRAP=1
    run=(cargo fuzz run --sanitizer none)
fi

status=0
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    log="$(mktemp)"
    if ! "${run[@]}" -O "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 -timeout=10 \
        >"$log" 2>&1; then
        status=1
        echo "$target: CRASH — see fuzz/artifacts/$target and $log"
        tail -40 "$log"
        continue
    fi
    executions="$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')"
    coverage="$(grep -E '^#[0-9]+.*DONE' "$log" | tail -1 | grep -oE 'cov: [0-9]+' || true)"
    corpus="$(find "corpus/$target" -type f | wc -l)"
    echo "$target: ${executions:-?} executions in ${seconds}s, no crash (${coverage:-cov: ?}, corpus ${corpus} inputs)"
    rm -f "$log"
done
exit "$status"
