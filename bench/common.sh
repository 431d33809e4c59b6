# Shared by the bench scripts: builds the release binary and the synthetic catalogs.
set -euo pipefail
cd "$(dirname "$0")/.."
# N operations (default 100,000) over 20 synthetic services; RICH=1: with sections,
# dependencies, bilingual descriptions, prerequisites and shared routes on them (as imported
# tables have).
N=${N:-100000}
if [ -n "${RICH:-}" ]; then
  DIR=${DIR:-target/bench-catalog-rich-$N}
  SHAPE=(--rich)
else
  DIR=${DIR:-target/bench-catalog-$N}
  SHAPE=()
fi
cargo build --release --quiet
cargo build --release --quiet --example gen-catalog
if [ ! -f "$DIR/rows.txt" ]; then
  target/release/examples/gen-catalog "$N" "$DIR" "${SHAPE[@]}"
fi
BIN=target/release/ims-perms
CATALOGS=()
for f in "$DIR"/*.json; do CATALOGS+=(--catalog "$f"); done
need() { command -v "$1" >/dev/null || { echo "needs $1 (apt-get install $2)" >&2; exit 2; }; }
