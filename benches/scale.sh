#!/usr/bin/env bash
# Times the real binary on 10,000 and 100,000 synthetic responses of the bundled questionnaire:
# `simulate` (writing them), `stats --json` and `export` (reading them), each with wall time and
# peak memory from /usr/bin/time -v, beside the total size of the response files, and the
# pandas peer (benches/pandas_peer.py) on the same files.
#
#   benches/scale.sh                 # 10,000 and 100,000
#   SIZES="5000" benches/scale.sh    # other sizes
#   PEER=0 benches/scale.sh          # without the pandas comparison
#
# The folders live in a temporary directory removed at the end. `stats` is timed twice: the
# first run reads every file and writes the load cache (DIR/cache), the second is answered from
# the cache, as every later run on an unchanged or lightly changed folder is. The page cache is
# warmed before the first. Needs the Rust toolchain and GNU time; the peer needs
# python3 with pandas and scipy (pip install pandas scipy).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"10000 100000"}
PEER=${PEER:-1}
TIME=/usr/bin/time
if [[ ! -x $TIME ]]; then
  echo "GNU time is missing at $TIME (Debian/Ubuntu: apt-get install time)" >&2
  exit 1
fi

cargo build --release --quiet
BIN=$PWD/target/release/anketa
WORK=$(mktemp -d "${TMPDIR:-/tmp}/anketa-scale.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %-14s %9s %10s %12s\n' responses command wall_s max_rss_MB rss/files

# Runs "$@" under GNU time; prints one row and sets WALL to the wall time in seconds.
measure() {
  local n=$1 label=$2 size=$3
  shift 3
  local log=$WORK/time.log
  if ! "$TIME" -v "$@" >"$WORK/out.txt" 2>"$log"; then
    echo "$label failed:" >&2
    grep -v '^\s' "$log" | tail -5 >&2
    WALL=""
    return 0
  fi
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" |
    awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  WALL=$wall
  awk -v n="$n" -v label="$label" -v wall="$wall" -v rss="$rss" -v size="$size" 'BEGIN {
    ratio = size > 0 ? sprintf("%.2f", rss * 1024 / size) : "-"
    printf "%-9s %-14s %9.2f %10.1f %12s\n", n, label, wall, rss / 1024, ratio }' 
}

# Whether the binary has subcommand $1.
has() { "$BIN" help "$1" >/dev/null 2>&1; }

for n in $SIZES; do
  dir=$WORK/n$n
  measure "$n" simulate 0 "$BIN" simulate --responses "$n" --data-dir "$dir"
  files=$dir/responses/civic-participation-bg
  size=$(find "$files" -name '*.json' -printf '%s\n' | awk '{s += $1} END {print s}')
  count=$(find "$files" -name '*.json' | wc -l)
  awk -v c="$count" -v s="$size" 'BEGIN { printf "          files: %d, %.1f MB\n", c, s / 1e6 }'
  find "$files" -name '*.json' -exec cat {} + >/dev/null
  # Files changed in the last 3 seconds are never trusted from the load cache (a coarse file
  # clock could hide a second change), so let the newest ones age as any real folder's have.
  sleep 3

  stats_wall=""
  if has stats; then
    measure "$n" "stats (cold)" "$size" "$BIN" stats --json --data-dir "$dir"
    measure "$n" "stats --json" "$size" "$BIN" stats --json --data-dir "$dir"
    stats_wall=$WALL
  else
    echo "          stats --json: this anketa has no \`stats\` command yet"
  fi
  if has export; then
    measure "$n" export "$size" "$BIN" export --data-dir "$dir" --out "$WORK/export-$n.csv"
    rm -f "$WORK"/*.csv
  else
    echo "          export: this anketa has no \`export\` command yet"
  fi
  if [[ $PEER == 1 ]]; then
    python3 benches/pandas_peer.py "$files" ${stats_wall:+--anketa-seconds "$stats_wall"} ||
      echo "          pandas peer failed (pip install pandas scipy)"
  fi
  rm -rf "$dir"
done
