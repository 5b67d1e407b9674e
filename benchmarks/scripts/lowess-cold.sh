#!/usr/bin/env bash
# The first LOWESS fit of a fresh JVM (LowessColdStart), one java process per measurement, alternating with an
# optional other build ("before") and with R's lowess on the same data (when Rscript is on the PATH). Each line
# is "<build> <wall ms> <CPU ms of the whole process during the fit, JIT compiler threads included>".
#   benchmarks/scripts/lowess-cold.sh [rounds] [frac] [before-classpath]
# Run from the repository root after `mvn -B -DskipTests package`; before-classpath is e.g. the rewardmodel and
# core jars of an older build. Prints every measurement, then the median and range of each column.
set -euo pipefail
rounds=${1:-10}
frac=${2:-0.1}
before=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
after="$root/rewardmodel/target/classes:$root/core/target/classes"
harness="$root/benchmarks/target/classes"
main=org.align4j.benchmarks.calibration.LowessColdStart
data=$(mktemp --suffix=.csv)
results=$(mktemp)
trap 'rm -f "$data" "$results"' EXIT
java -cp "$harness:$after" "$main" --write "$data"
ms() { sed -n 's/^ms=\([0-9.]*\) cpu_ms=\([0-9.]*\).*/\1 \2/p'; }
for ((r = 1; r <= rounds; r++)); do
  if [[ -n "$before" ]]; then
    echo "before $(java -cp "$harness:$before" "$main" 100000 "$frac" | ms)" >> "$results"
  fi
  echo "after $(java -cp "$harness:$after" "$main" 100000 "$frac" | ms)" >> "$results"
  if command -v Rscript > /dev/null; then
    echo "R $(Rscript "$here/lowess_peer.R" "$data" "$frac" | ms)" >> "$results"
  fi
  tail -n 3 "$results" | tr '\n' ' '; echo "(round $r, load $(cut -d' ' -f1 /proc/loadavg))"
done
for what in before after R; do
  for column in 2 3; do
    grep "^$what " "$results" | cut -d' ' -f$column | sort -g | awk -v w="$what" -v c=$((column - 1)) \
      '{v[NR] = $1} END {if (NR) printf "%-6s %s n=%d median %.1f ms, range %.1f-%.1f ms\n", w, (c == 1 ? "wall" : "cpu "), NR, (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR]}'
  done
done
