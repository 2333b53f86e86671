# Shared by the CLI test scripts (sourced, not run). The script sets HJ (the
# hashjoule binary) first. Gives: $tmp (removed on exit), fail MESSAGE,
# expect_exit CODE PATTERN -- ARGS..., and finish NAME (prints the verdict and
# exits 1 when any check failed).
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect_exit CODE PATTERN -- ARGS...: `hashjoule ARGS` exits CODE and PATTERN
# (grep -E) appears in its stdout+stderr, which are left in $tmp/out and $tmp/err.
expect_exit() {
    local want=$1 pattern=$2
    shift 3
    "$HJ" "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" != "$want" ]; then
        fail "hashjoule $* exited $got, expected $want; stderr: $(head -c 600 "$tmp/err")"
    elif ! cat "$tmp/out" "$tmp/err" | grep -Eq -- "$pattern"; then
        fail "hashjoule $*: output lacks /$pattern/: $(head -c 600 "$tmp/out" "$tmp/err")"
    fi
}

finish() {
    if [ "$failures" -gt 0 ]; then
        echo "$1: $failures check(s) failed"
        exit 1
    fi
    echo "$1: all checks passed"
    exit 0
}
