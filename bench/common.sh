# Shared by the bench scripts: builds the release binary and the synthetic catalogs.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
DIR=${DIR:-target/bench-catalog-$N}
cargo build --release --quiet
cargo build --release --quiet --example gen-catalog
if [ ! -f "$DIR/rows.txt" ]; then
  target/release/examples/gen-catalog "$N" "$DIR"
fi
BIN=target/release/ims-perms
CATALOGS=()
for f in "$DIR"/*.json; do CATALOGS+=(--catalog "$f"); done
need() { command -v "$1" >/dev/null || { echo "needs $1 (apt-get install $2)" >&2; exit 2; }; }
