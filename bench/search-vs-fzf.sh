#!/usr/bin/env bash
# `ims-perms --no-builtin --catalog ... search QUERY` as a whole process, side by side with
# `fzf --filter QUERY` over the same operations as text lines (DIR/rows.txt), runs alternating.
# Prints each query's mean wall time for both and the ratio (target: ours <= fzf's).
# Usage: bench/search-vs-fzf.sh [RUNS]   (N=100000 by default; needs fzf)
source "$(dirname "$0")/common.sh"
need fzf fzf
RUNS=${1:-10}
QUERIES=("srv" "delete vol" "ecs:servers" "查询" "get backup 12")
now() { date +%s%N; }
total_ours=0; total_fzf=0
printf '%-16s %10s %10s %7s\n' query ours_ms fzf_ms ratio
for q in "${QUERIES[@]}"; do
  ours=0; theirs=0
  # shellcheck disable=SC2086
  for _ in $(seq "$RUNS"); do
    t0=$(now); "$BIN" --no-builtin "${CATALOGS[@]}" search $q >/dev/null || true; t1=$(now)
    fzf --filter "$q" <"$DIR/rows.txt" >/dev/null || true; t2=$(now)
    ours=$((ours + t1 - t0)); theirs=$((theirs + t2 - t1))
  done
  total_ours=$((total_ours + ours)); total_fzf=$((total_fzf + theirs))
  awk -v q="$q" -v a="$ours" -v b="$theirs" -v r="$RUNS" \
    'BEGIN { printf "%-16s %10.1f %10.1f %7.2f\n", q, a/r/1e6, b/r/1e6, a/b }'
done
awk -v a="$total_ours" -v b="$total_fzf" 'BEGIN { printf "all queries: ims-perms / fzf = %.2f (target <= 1.00)\n", a/b }'
