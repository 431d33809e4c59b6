#!/usr/bin/env bash
# What a person waits for in the explorer at N operations (default 100,000), in a real terminal:
# start to the first full table, and each typed key to its results on screen, typing the queries
# one key at a time in tmux (160x45) and polling `capture-pane` every millisecond until the
# search line shows the typed query and a final count (no `…`). Prints p50/p90/max. Needs tmux
# and python3.
# Keys and captures go through one tmux control-mode client (`tmux -C`), not a tmux process
# each: a process per poll costs ~3 ms of CPU, which on a 2-core machine took a core from the
# program being measured.
# The first full table is timed twice: with no cache of parsed catalogs yet (a first run ever,
# which writes it), then with it (every later run); the keys are typed in the second.
# Usage: bench/keys-in-tmux.sh [--builtin]   (--builtin: the built-in catalog instead)
source "$(dirname "$0")/common.sh"
need tmux tmux
need python3 python3
ARGS=(--no-builtin "${CATALOGS[@]}")
LABEL="$N operations${RICH:+ (rich: sections, dependencies, shared routes)}"
if [ "${1:-}" = "--builtin" ]; then ARGS=(); LABEL="the built-in catalog"; fi
CACHE=$(mktemp -d)
trap 'rm -rf "$CACHE"' EXIT
python3 - "$BIN" "$LABEL" "$CACHE" "${ARGS[@]}" <<'PY'
import re, shlex, signal, subprocess, sys, time
binary, label, cache, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
sock = f"ims-perms-keys-{time.time_ns()}"
QUERIES = ["servers delete", "imgupl", "ecs vol att", "删除"]
def tmux(*a):
    return subprocess.run(["tmux", "-L", sock, *a], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True).stdout
control = None
def command(line):
    """One command through the control-mode client; its output lines."""
    control.stdin.write((line + "\n").encode())
    control.stdin.flush()
    return block()
def block():
    out, inside = [], False
    while True:
        # Pane output (`%output`) can cut a character in two: decode line by line, leniently.
        line = control.stdout.readline().decode("utf-8", "replace")
        if not line:
            raise SystemExit("tmux control client ended")
        if line.startswith("%begin"):
            inside, out = True, []
        elif line.startswith(("%end", "%error")) and inside:
            return out
        elif inside:
            out.append(line.rstrip("\n"))
def send(keys, literal=True):
    command("send-keys -t bench " + ("-l " if literal else "") + shlex.quote(keys))
def search_line():
    lines = command("capture-pane -p -t bench")
    return lines[1] if len(lines) > 1 else ""
def pane():
    return "\n".join(command("capture-pane -p -t bench"))
def stuck(*_):
    raise SystemExit("no answer from tmux or the explorer within 40 s")
signal.signal(signal.SIGALRM, stuck)
def wait(done, limit=30.0, seen=search_line):
    # Never wait for ever, even on a read from tmux that does not return.
    signal.alarm(int(limit) + 10)
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if done(seen()):
            return time.perf_counter() - start
        time.sleep(0.001)
    raise SystemExit(f"no answer within {limit} s; search line: {search_line()!r}")
def answered(query):
    # The query, the cursor, then a count with no `…` after it.
    def done(line):
        i = line.find(f"/ {query}▏")
        if i < 0:
            return False
        rest = line[i + len(query) + 3:]
        return re.match(r"\s+\d+/\d+", rest) is not None and not re.match(r"\s+\d+/\d+ …", rest)
    return done
cmd = " ".join(shlex.quote(x) for x in
               ["env", f"IMS_PERMS_CACHE_DIR={cache}", binary, "--lang", "en", *args])
# A session with a shell first, so the control client is attached before the clock starts.
tmux("-f", "/dev/null", "new-session", "-d", "-s", "bench", "-x", "160", "-y", "45",
     "env", "LANG=C.UTF-8", "sh")
latencies = []
try:
    # stderr not inherited: a tmux process left behind must not hold the caller's pipe open.
    control = subprocess.Popen(["tmux", "-L", sock, "-C", "attach", "-t", "bench"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    # Whether the attach itself answers with an empty block varies: wait for a known answer.
    control.stdin.write(b"display -p ready\n")
    control.stdin.flush()
    while block() != ["ready"]:
        pass
    command("refresh-client -f no-output")  # no copy of the pane's output on this pipe
    def first_table(run):
        start = time.perf_counter()
        send(run)
        send("Enter", literal=False)
        wait(lambda l: re.search(r"/\s+\d+/\d+", l) is not None)
        return time.perf_counter() - start
    # Quit, and wait for the shell to be back (its echo, not the command typed) before typing
    # to it again.
    cold = first_table(cmd + "; echo first-run-$((1 + 1))-over")
    send("q")
    wait(lambda p: "first-run-2-over" in p, seen=pane)
    first = first_table("exec " + cmd)
    for q in QUERIES:
        send("/")
        wait(lambda l: "/ ▏" in l)
        typed = ""
        for ch in q:
            typed += ch
            t0 = time.perf_counter()
            send(ch)
            wait(answered(typed))
            latencies.append(time.perf_counter() - t0)
        send("Escape", literal=False)
        wait(lambda l: "/ ▏" not in l and "▏" not in l)
finally:
    tmux("kill-server")
latencies.sort()
pick = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
print(f"explorer on {label}, tmux 160x45: first full table {first * 1000:.0f} ms "
      f"({cold * 1000:.0f} ms on a first run, with no cache of parsed catalogs yet)")
print(f"key to results on screen, {len(latencies)} keys over {QUERIES}: "
      f"p50 {pick(0.5):.0f} ms, p90 {pick(0.9):.0f} ms, max {latencies[-1] * 1000:.0f} ms")
PY
