#!/usr/bin/env bash
# How long `compose --calls` takes on a large Terraform debug log, and its peak memory: a log of
# SIZE_MB megabytes (default 1024) made of the provider's request/answer blocks (headers and
# JSON bodies between them, as TF_LOG=DEBUG writes), over 5,000 image ids. Needs GNU time.
# Usage: bench/calls-log.sh [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1024}
cargo build --release --quiet
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
LOG=target/bench-calls-$SIZE_MB.log
if [ ! -f "$LOG" ]; then
  python3 - "$LOG" "$SIZE_MB" <<'PY'
import sys
path, size = sys.argv[1], int(sys.argv[2]) << 20
p = "2026-11-30T09:12:03.001+0800 [DEBUG] provider.terraform-provider-huaweicloud_v1.71.2: "
block = (
    p + "[DEBUG] [{id}] API Request URL: GET https://ims.ap-southeast-3.myhuaweicloud.com/v2/cloudimages?id={img}\n"
    + p + "API Request Headers:\nAccept: application/json\nX-Auth-Token: ***: timestamp=2026-11-30T09:12:03.001+0800\n"
    + p + "[DEBUG] [{id}] API Response Code: 200\nAPI Response Headers:\nContent-Type: application/json: timestamp=x\n"
    + p + "[DEBUG] [{id}] API Response Body: {{\n  \"images\": [\n    {{\n      \"id\": \"{img}\",\n      \"name\": \"web\",\n      \"status\": \"active\"\n    }}\n  ]\n}}: timestamp=x\n"
    + p + "[DEBUG] [{id}b] API Request URL: DELETE https://ims.ap-southeast-3.myhuaweicloud.com/v2/images/{img}\n"
    + p + "[DEBUG] [{id}b] API Response Code: 403\n"
)
written, n = 0, 0
with open(path, "w") as f:
    while written < size:
        chunk = "".join(block.format(id=f"{n + k}", img=f"9d1b2b4c-1111-4a6e-9c0e-{(n + k) % 5000:012d}") for k in range(1000))
        f.write(chunk)
        written += len(chunk.encode())
        n += 1000
PY
fi
echo "log: $(du -m "$LOG" | cut -f1) MB, $(wc -l < "$LOG") lines"
/usr/bin/time -o target/bench-calls.time -f '%e s, %M KB peak' \
  target/release/ims-perms compose --calls "$LOG" > /dev/null 2> target/bench-calls.err || true
grep -m1 '^Read ' target/bench-calls.err || true
echo "compose --calls: $(cat target/bench-calls.time)"
