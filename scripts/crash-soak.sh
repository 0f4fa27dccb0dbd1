#!/usr/bin/env bash
# The long crash-injection run: an interview process killed with SIGKILL again and again, every
# response file checked after every kill (see tests/crash.rs for what is checked).
#
#   scripts/crash-soak.sh [KILLS] [SEED]      (default 2000 kills, a random seed)
#
# Prints the figures (kills survived, saves reported, files checked, temp files ignored) for
# docs/reliability.md. A failure prints the seed; run again with it to reproduce the schedule.
set -euo pipefail
cd "$(dirname "$0")/.."

export ANKETA_CRASH_KILLS="${1:-2000}"
if [[ -n "${2:-}" ]]; then
    export ANKETA_CRASH_SEED="$2"
fi
cargo test --test crash crash_soak -- --ignored --exact --nocapture 2>&1 |
    grep -E '^crash:|panicked|test result|FAILED|seed'
