#!/usr/bin/env bash
# `ims-perms --no-builtin --catalog ...(20 files) search QUERY` as a whole process, side by side
# with `fzf --filter QUERY` over the same operations as text lines (DIR/rows.txt), runs
# alternating, for the four queries of the explorer's key bench. Prints each query's median wall
# time for both and their ratio, then the median of the four ratios (target: <= 0.5), once with
# the cache of parsed catalogs (warmed by one run first) and once with --no-cache.
# Usage: bench/search-vs-fzf.sh [RUNS]   (N=100000 by default; needs fzf and python3)
source "$(dirname "$0")/common.sh"
need fzf fzf
need python3 python3
RUNS=${1:-7}
CACHE=$(mktemp -d)
trap 'rm -rf "$CACHE"' EXIT
IMS_PERMS_CACHE_DIR="$CACHE" "$BIN" --no-builtin "${CATALOGS[@]}" list >/dev/null
exec env IMS_PERMS_CACHE_DIR="$CACHE" python3 - "$RUNS" "$DIR/rows.txt" "$BIN" "${CATALOGS[@]}" <<'PY'
import statistics, subprocess, sys, time
runs, rows, binary, catalogs = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
QUERIES = ["servers delete", "imgupl", "ecs vol att", "删除"]
def timed(cmd, stdin=None):
    with open(stdin or "/dev/null", "rb") as i:
        start = time.perf_counter()
        subprocess.run(cmd, stdin=i, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start
for label, extra in [("with the cache", []), ("--no-cache", ["--no-cache"])]:
    print(f"ims-perms search ({label}) vs fzf --filter, {runs} alternating runs each, medians:")
    ratios = []
    for q in QUERIES:
        ours, theirs = [], []
        for _ in range(runs):
            ours.append(timed([binary, "--no-builtin", *extra, *catalogs, "search", *q.split()]))
            theirs.append(timed(["fzf", "--filter", q], rows))
        a, b = statistics.median(ours), statistics.median(theirs)
        ratios.append(a / b)
        print(f"  {q!r:18} ims-perms {a * 1000:6.0f} ms   fzf {b * 1000:6.0f} ms   ratio {a / b:.2f}")
    print(f"  median ratio {statistics.median(ratios):.2f} (target <= 0.50)")
PY
