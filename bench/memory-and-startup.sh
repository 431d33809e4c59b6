#!/usr/bin/env bash
# Peak memory at N operations (search, and the explorer after a query), and the explorer's
# first frame on the built-in catalog as a whole process. Needs GNU time, tmux and hyperfine.
# Usage: bench/memory-and-startup.sh
source "$(dirname "$0")/common.sh"
need /usr/bin/time time
need tmux tmux
need hyperfine hyperfine
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
# A cache of parsed catalogs of its own, warmed by one run (and one run without it).
IMS_PERMS_CACHE_DIR=$(mktemp -d)
export IMS_PERMS_CACHE_DIR
trap 'rm -rf "$IMS_PERMS_CACHE_DIR"' EXIT
"$BIN" --no-builtin "${CATALOGS[@]}" list >/dev/null
echo "peak memory, search at $N operations: $(rss "$BIN" --no-builtin "${CATALOGS[@]}" search delete vol) KB with the cache, $(rss "$BIN" --no-cache --no-builtin "${CATALOGS[@]}" search delete vol) KB without (target <= 153600 KB)"

# The explorer needs a terminal: run it in tmux, type a query, quit, read GNU time's figure.
sock=ims-perms-bench-$$
out=$(mktemp)
tmux -L "$sock" -f /dev/null new-session -d -x 160 -y 50 \
  "IMS_PERMS_CACHE_DIR=$IMS_PERMS_CACHE_DIR /usr/bin/time -f '%M' -o $out $BIN --no-builtin ${CATALOGS[*]}"
sleep 3
tmux -L "$sock" send-keys / d e l e t e ' ' v o l
sleep 2
tmux -L "$sock" send-keys Enter q
sleep 1
tmux -L "$sock" kill-server 2>/dev/null || true
echo "peak memory, explorer at $N operations after typing a query: $(tail -1 "$out") KB (target <= 153600 KB)"

# First frame on the built-in catalog: start, draw, quit, in a real terminal (tmux).
tmux -L "$sock" -f /dev/null new-session -d -x 160 -y 50 \
  "hyperfine --warmup 5 --runs 50 --export-json $out.json 'IMS_PERMS_AFTER_FIRST_FRAME=exit $BIN' > $out.txt 2>&1"
for _ in $(seq 60); do [ -s "$out.json" ] && break; sleep 1; done
tmux -L "$sock" kill-server 2>/dev/null || true
python3 -c "import json,sys; r=json.load(open('$out.json'))['results'][0]; print('explorer first frame, built-in catalog, whole process: mean %.1f ms, max %.1f ms (target <= 30 ms)' % (r['mean']*1e3, r['max']*1e3))"
rm -f "$out" "$out.json" "$out.txt"
