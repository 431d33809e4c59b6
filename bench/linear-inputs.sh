#!/usr/bin/env bash
# Inputs that were quadratic (issue 17), each timed as a whole process, median of 3 runs:
#   explain of one statement with 60,000 distinct wildcards (about 1 MB),
#   import of one Markdown table of 100,000 rows,
#   search with 1,000 one-letter terms over 20,000 operations.
# Usage: bench/linear-inputs.sh   (figures in the README's Performance section)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
cargo build --release --quiet --example gen-catalog
BIN=target/release/ims-perms
WORK=target/bench-linear
mkdir -p "$WORK"

# 60,000 distinct wildcards in one Allow statement.
awk 'BEGIN {
  printf "{\"Version\":\"1.1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[";
  for (i = 0; i < 60000; i++) printf "%s\"ims:images:x%d*\"", (i ? "," : ""), i;
  printf ",\"ims:*:get*\"]}]}\n" }' > "$WORK/wildcards.json"

# One permission table of 100,000 rows, each its own route.
awk 'BEGIN {
  print "| 权限 | 对应API接口 | 授权项 | IAM项目(Project) | 企业项目(Enterprise Project) |";
  print "| --- | --- | --- | --- | --- |";
  for (i = 0; i < 100000; i++)
    printf "| 查询资源%d | GET /v1/{project_id}/things%d/{id} | svc:things%d:get | √ | √ |\n", i, i, i }' \
  > "$WORK/rows.md"

# 8,000 permissions sharing one route, and one cell of 60,000 run-together actions.
awk 'BEGIN {
  print "| 权限 | 对应API接口 | 授权项 | IAM项目(Project) | 企业项目(Enterprise Project) |";
  print "| --- | --- | --- | --- | --- |";
  for (i = 0; i < 8000; i++) printf "|权限%d|POST /v1/servers/{id}/action|foo:res:a%d|√|x|\n", i, i }' \
  > "$WORK/shared-route.md"
awk 'BEGIN {
  print "| 权限 | 对应API接口 | 授权项 | IAM项目(Project) | 企业项目(Enterprise Project) |";
  print "| --- | --- | --- | --- | --- |";
  printf "|权限|POST /v1/servers/{id}/action|";
  for (i = 0; i < 60000; i++) printf "foo:res:a%d", i;
  print "|√|x|" }' > "$WORK/run-together.md"

# 20,000 operations, 1,000 one-letter terms (seven letters that most operations hold).
if [ ! -f "$WORK/catalog/rows.txt" ]; then
  target/release/examples/gen-catalog 20000 "$WORK/catalog" >/dev/null
fi
CATALOGS=()
for f in "$WORK"/catalog/*.json; do CATALOGS+=(--catalog "$f"); done
TERMS=$(awk 'BEGIN { s = "imgaesl"; for (i = 0; i < 1000; i++) printf "%s ", substr(s, i % 7 + 1, 1) }')

median() { # median of three timings of a command, in seconds
  local times=()
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}

echo "explain, 60,000 wildcards:           $(median "$BIN" explain "$WORK/wildcards.json") s"
echo "import, 100,000 rows:                $(median "$BIN" import "$WORK/rows.md" --service svc) s"
echo "search, 1,000 terms over 20,000 ops: $(median "$BIN" --no-cache "${CATALOGS[@]}" search $TERMS) s"
echo "import, 8,000 rows of one route:     $(median "$BIN" import "$WORK/shared-route.md") s"
echo "import, 60,000 actions in one cell:  $(median "$BIN" import "$WORK/run-together.md") s"
