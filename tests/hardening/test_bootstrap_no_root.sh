#!/usr/bin/env bash
# bootstrap.sh run by a user without root and without sudo, with a package
# missing: it names the package and how to install it, and stops (exit 1)
# before building anything. The package list gets one name that no machine
# has; the script runs as `nobody` with a PATH that has no sudo. Skipped (77)
# where this test cannot switch user (not root).
# Usage: test_bootstrap_no_root.sh SOURCE_DIR
set -u
src=$(realpath "${1:?usage: test_bootstrap_no_root.sh SOURCE_DIR}")
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null || { echo "skipped: needs root and setpriv to run as nobody"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
sed 's/^  clang-tidy clang-format$/  clang-tidy clang-format hj-test-no-such-package/' "$src/bootstrap.sh" >"$tmp/bootstrap.sh"
grep -q hj-test-no-such-package "$tmp/bootstrap.sh" || { echo "FAIL: could not add a package to the list in bootstrap.sh"; exit 1; }
chmod 755 "$tmp/bootstrap.sh"
mkdir "$tmp/bin"
for t in bash dpkg-query grep id sed env cat mktemp rm dirname nproc; do
    p=$(command -v "$t") && ln -s "$p" "$tmp/bin/$t"
done
(cd "$tmp" && setpriv --reuid=65534 --regid=65534 --clear-groups -- env -i PATH="$tmp/bin" HOME=/nonexistent \
    bash ./bootstrap.sh) >"$tmp/out" 2>&1
rc=$?
fail=0
[ $rc = 1 ] || { echo "FAIL: exit $rc, expected 1"; fail=1; }
for want in "these Debian packages are missing: hj-test-no-such-package" "not root and there is no sudo" \
    "apt-get install hj-test-no-such-package" "then run ./bootstrap.sh again"; do
    grep -qF "$want" "$tmp/out" || { echo "FAIL: the message lacks '$want'"; fail=1; }
done
[ -e "$tmp/build" ] && { echo "FAIL: it went on to build"; fail=1; }
cat "$tmp/out"
[ $fail = 0 ] && echo "bootstrap without root or sudo: explained" || exit 1
