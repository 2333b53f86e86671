#!/usr/bin/env bash
# Faults around a benchmark: results directory not writable, a full disk (a
# write that fails with ENOSPC, and a real 64 KiB tmpfs when we may mount
# one), an I/O error, a sensor file that disappears mid-run, kill -9 in the
# middle of writing a result, SIGINT/SIGTERM before and during the
# repetitions. In every case: the right exit status, the message, no result
# file half written or presented as a result, older results untouched.
# Usage: test_faults.sh HASHJOULE FAULT_SHIM SANITIZED(ON|OFF) STALL_CLI
set -u
HJ=$(realpath "${1:?usage: test_faults.sh HASHJOULE FAULT_SHIM SANITIZED STALL_CLI}")
SHIM=$(realpath "${2:?}")
STALL=$(realpath "${4:?}")
failures=0
tmp=$(mktemp -d)
chmod 755 "$tmp"
mounted=
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
    [ -n "$mounted" ] && umount "$mounted" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
export HJ_SYSFS_ROOT="$tmp/nosys" HJ_NVML_LIBRARY=/nonexistent/libnvidia-ml.so.1
# A sanitizer build's runtime wants to come first among the libraries; the shim is preloaded ahead of it.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
S=(bench --kernel scalar --threads 1 --seconds 0.2 --repetitions 2 --warmup 0 --quiet)
valid() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema_version"] == 1 and d["results"]' "$1" 2>/dev/null; }

# An older result that every fault below must leave as it is.
mkdir -p "$tmp/res"
"$HJ" "${S[@]}" --out "$tmp/res/old.json" >/dev/null 2>&1 || fail "could not write the old result"
old_sum=$(sha256sum <"$tmp/res/old.json")
check_old() { [ "$(sha256sum <"$tmp/res/old.json")" = "$old_sum" ] || fail "$1: the older result changed"; }
only_old() { [ "$(ls -A "$tmp/res")" = old.json ] || fail "$1: left $(ls -A "$tmp/res" | tr '\n' ' ')"; }

# --- a full disk: write() fails with ENOSPC (injected), then EIO ---------------------------------------
for fault in enospc eio; do
    LD_PRELOAD="$SHIM" HJ_FAULT=$fault "$HJ" "${S[@]}" --out "$tmp/res/new.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    want=$([ $fault = enospc ] && echo "No space left on device" || echo "Input/output error")
    [ $rc = 3 ] && grep -q "writing $tmp/res/new.json failed: $want; nothing was saved" "$tmp/err" ||
        fail "$fault: exit $rc: $(cat "$tmp/err")"
    only_old "$fault"
    check_old "$fault"
done
# The default name: the history folder (XDG_DATA_HOME/hashjoule/results) and
# every folder it had to create for it are gone again too.
mkdir "$tmp/cwd"
(cd "$tmp/cwd" && XDG_DATA_HOME="$tmp/cwd/data" LD_PRELOAD="$SHIM" HJ_FAULT=enospc "$HJ" "${S[@]}") >/dev/null 2>&1
[ $? = 3 ] && [ -z "$(ls -A "$tmp/cwd")" ] || fail "enospc, default name: exit $?, left $(ls -AR "$tmp/cwd")"
# fleet --svg on a full disk: exit 3, no chart half written, no temporary file left
mkdir "$tmp/charts"
LD_PRELOAD="$SHIM" HJ_FAULT=enospc HJ_FAULT_MATCH=.svg. "$HJ" fleet --svg "$tmp/charts" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 3 ] && grep -q -- "--svg: could not write .*options_usd_per_mwh.svg" "$tmp/err" || fail "svg on a full disk: exit $rc: $(cat "$tmp/err")"
[ -z "$(ls -A "$tmp/charts")" ] || fail "svg on a full disk left $(ls -A "$tmp/charts")"

# --- a real full disk: a 64 KiB tmpfs (root only; skipped where mount is not allowed) -------------------------
mkdir "$tmp/tiny"
if mount -t tmpfs -o size=64k tmpfs "$tmp/tiny" 2>/dev/null; then
    mounted="$tmp/tiny"
    head -c 60000 /dev/zero >"$tmp/tiny/filler" 2>/dev/null
    "$HJ" "${S[@]}" --out "$tmp/tiny/r.json" >/dev/null 2>"$tmp/err"
    rc=$?
    [ $rc = 3 ] && grep -q "No space left on device; nothing was saved" "$tmp/err" || fail "tmpfs full: exit $rc: $(cat "$tmp/err")"
    [ "$(ls -A "$tmp/tiny")" = filler ] || fail "tmpfs full: left $(ls -A "$tmp/tiny")"
    umount "$tmp/tiny" && mounted=
else
    echo "note: a real full disk (tmpfs) skipped: mount is not allowed here; the injected ENOSPC above covers it"
fi

# --- results directory not writable --------------------------------------------------------------------
"$HJ" "${S[@]}" --out /proc/hashjoule-test.json >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 3 ] && grep -q "cannot create a file in /proc" "$tmp/err" || fail "unwritable /proc: exit $rc: $(cat "$tmp/err")"
mkdir -m 555 "$tmp/ro"
as_user=()
[ "$(id -u)" = 0 ] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
if [ ${#as_user[@]} = 0 ] || "${as_user[@]}" "$HJ" --version >/dev/null 2>&1; then
    "${as_user[@]}" "$HJ" "${S[@]}" --out "$tmp/ro/r.json" >/dev/null 2>"$tmp/err"
    rc=$?
    [ $rc = 3 ] && grep -q "cannot create a file in $tmp/ro: Permission denied" "$tmp/err" ||
        fail "read-only directory: exit $rc: $(cat "$tmp/err")"
    [ -z "$(ls -A "$tmp/ro")" ] || fail "read-only directory: left files"
else
    echo "note: read-only directory check skipped (root, and the binary is not runnable as nobody)"
fi

# --- kill -9 in the middle of writing a result ----------------------------------------------------------------
# The shim writes half of the document to the temporary file, then stops the
# process; we kill -9 it there. Nothing may appear under the result's name.
for name in new.json ""; do
    if [ -n "$name" ]; then
        LD_PRELOAD="$SHIM" HJ_FAULT=stop "$HJ" "${S[@]}" --out "$tmp/res/$name" >/dev/null 2>&1 &
    else
        (cd "$tmp/res" && XDG_DATA_HOME="$tmp/res" LD_PRELOAD="$SHIM" HJ_FAULT=stop exec "$HJ" "${S[@]}") >/dev/null 2>&1 &
    fi
    pid=$!
    pids+=("$pid")
    stopped=
    for _ in $(seq 1 300); do
        state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)
        [ "$state" = T ] && { stopped=1; break; }
        sleep 0.1
    done
    [ -n "$stopped" ] || { fail "kill -9: the bench never reached its write"; continue; }
    half=$(find "$tmp/res" -name '.*.tmp.*' -size +0 | head -n1)
    [ -n "$half" ] || fail "kill -9: no half-written temporary file to test with"
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    label="kill -9 during the write of ${name:-a default-named result}"
    check_old "$label"
    visible=$(find "$tmp/res" -type f ! -name '.*' ! -name old.json)
    [ -z "$visible" ] || fail "$label: a result appeared: $visible"
    # the half file is hidden, named as temporary, and refused if someone passes it anyway
    if [ -n "$half" ]; then
        "$HJ" compare "$tmp/res/old.json" "$half" >/dev/null 2>"$tmp/err"
        [ $? = 2 ] && grep -q "not valid JSON (truncated" "$tmp/err" || fail "$label: the half file is not refused by compare"
        rm -f "$half"
    fi
    rm -rf "$tmp/res/hashjoule"
done

# --- a sensor file that disappears mid-run ---------------------------------------------------------------------
root="$tmp/sys-vanish"
zone="$root/class/powercap/intel-rapl:0"
mkdir -p "$zone"
echo package-0 >"$zone/name"
echo 262143328850 >"$zone/max_energy_range_uj"
echo 1000 >"$zone/energy_uj"
HJ_SYSFS_ROOT="$root" "$HJ" bench --kernel scalar --threads 1 --seconds 0.5 --repetitions 4 --warmup 0 --quiet \
    --out "$tmp/vanish.json" >/dev/null 2>"$tmp/err" &
pid=$!
pids+=("$pid")
sleep 0.7
rm -f "$zone/energy_uj"
wait "$pid"
rc=$?
[ $rc = 0 ] || fail "sensor vanished: bench exit $rc: $(cat "$tmp/err")"
python3 - "$tmp/vanish.json" <<'PY' || fail "sensor vanished: the result does not say so"
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
why = r["energy_unavailable_reason"] or ""
assert r["status"] == "ok" and len(r["repetitions"]) == 4, r["status"]
assert r["energy"] is None, r["energy"]
assert "rapl:0:package-0 failed during the run" in why and "energy_uj: No such file or directory" in why, why
PY

# --- SIGINT / SIGTERM: before the first repetition finishes, and during the third -------------------------------
for sig in INT TERM; do
    # early: in the first repetition (1 s long): no finished repetition, an empty flagged document, exit 130
    "$HJ" bench --kernel scalar --threads 1 --seconds 1 --repetitions 3 --warmup 0 --quiet --out "$tmp/early-$sig.json" \
        >/dev/null 2>"$tmp/err" &
    pid=$!
    pids+=("$pid")
    sleep 0.5
    kill -$sig $pid
    wait $pid
    rc=$?
    [ $rc = 130 ] || fail "SIG$sig in the first repetition: exit $rc"
    python3 - "$tmp/early-$sig.json" <<'PY' || fail "SIG$sig in the first repetition: document"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["interrupted"] is True and d["results"] == [], d["results"]
PY
    # compare refuses it as having nothing in common, rather than passing an empty run
    "$HJ" compare "$tmp/res/old.json" "$tmp/early-$sig.json" >/dev/null 2>&1
    [ $? = 2 ] || fail "SIG$sig: compare accepted an interrupted run with no result"
    # late: two repetitions done, the third interrupted: two kept, flagged
    "$HJ" bench --kernel scalar --threads 1 --seconds 0.5 --repetitions 5 --warmup 0 --quiet --out "$tmp/late-$sig.json" \
        >/dev/null 2>"$tmp/err" &
    pid=$!
    pids+=("$pid")
    sleep 1.3
    kill -$sig $pid
    wait $pid
    rc=$?
    [ $rc = 130 ] || fail "SIG$sig in the third repetition: exit $rc"
    python3 - "$tmp/late-$sig.json" <<'PY' || fail "SIG$sig in the third repetition: document"
import json, sys
d = json.load(open(sys.argv[1]))
r = d["results"][0]
assert d["interrupted"] is True and r["status"] == "interrupted", (d["interrupted"], r["status"])
assert 1 <= len(r["repetitions"]) <= 3 and len(r["hashes_per_second"]["samples"]) == len(r["repetitions"]), len(r["repetitions"])
assert r["repetitions_planned"] == 5
PY
    "$HJ" compare "$tmp/late-$sig.json" "$tmp/late-$sig.json" >/dev/null 2>"$tmp/err" ||
        fail "SIG$sig: compare refuses the kept repetitions: $(cat "$tmp/err")"
    grep -q "was interrupted" "$tmp/err" || fail "SIG$sig: compare does not note the interruption"
done

# --- a kernel that finishes no work in a repetition (found under valgrind, where
# the scalar kernel is 50x slower): failed with the reason, exit 3, and the file
# is still one that compare and fleet --bench read.
"$STALL" bench --kernel test-stall --seconds 0.2 --repetitions 2 --warmup 0 --quiet --out "$tmp/stall.json" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 3 ] || fail "a kernel that finishes nothing: exit $rc, expected 3: $(cat "$tmp/err")"
python3 - "$tmp/stall.json" <<'PY' || fail "a kernel that finishes nothing: document"
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
assert r["status"] == "failed" and "repetition 1 finished no work" in r["error"], r
assert all(x["hashes"] > 0 for x in r["repetitions"]), r["repetitions"]
PY
"$HJ" compare "$tmp/stall.json" "$tmp/stall.json" >"$tmp/out" 2>&1
[ $? = 0 ] && grep -q "failed in both" "$tmp/out" || fail "compare on a failed-kernel file: $(cat "$tmp/out")"
"$HJ" fleet --bench "$tmp/stall.json" >/dev/null 2>"$tmp/err" || fail "fleet --bench on a failed-kernel file: $(cat "$tmp/err")"
grep -q "1 result(s) in .* failed in the bench and are left out" "$tmp/err" || fail "fleet --bench does not say the failed result is left out"

if [ $failures -gt 0 ]; then
    echo "$failures fault check(s) failed"
    exit 1
fi
echo "all fault checks passed"
