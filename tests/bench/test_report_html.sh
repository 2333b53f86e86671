#!/usr/bin/env bash
# `hashjoule report --html`: one self-contained page (no script, nothing it
# would fetch) that a real browser loads without a console error, with its
# charts drawn. Headless Chromium (Debian: chromium) renders it; skipped (77)
# with the reason where Chromium is absent.
# Usage: test_report_html.sh HASHJOULE SOURCE_DIR
set -u
HJ=$(realpath "${1:?usage: test_report_html.sh HASHJOULE SOURCE_DIR}")
SRC=$(realpath "${2:?usage: test_report_html.sh HASHJOULE SOURCE_DIR}")
. "$(dirname "$0")/../lib/cli_checks.sh"
INTEL=$SRC/results/vm-20261122-074908.json
ZEN3=$SRC/results/vm-20261130-040955.json

expect_exit 0 "^report: $tmp/r.html$" -- report "$INTEL" "$ZEN3" --title "Two VMs" --html "$tmp/r.html"
# never overwritten; a bad place is said before any file is read
expect_exit 2 'r.html.*exists' -- report "$INTEL" --html "$tmp/r.html"
expect_exit 2 'no/such/dir' -- report "$INTEL" --html "$tmp/no/such/dir/r.html"
expect_exit 2 '--html, --json and --markdown: choose one' -- report "$INTEL" --html "$tmp/x.html" --json
[ -e "$tmp/x.html" ] && fail "a refused --html left a file"

# self-contained: no script, no stylesheet, font or image to fetch
page=$tmp/r.html
grep -qi '<script' "$page" && fail "the page has a script"
grep -Eqi '(src|href)=|@import|url\((https?:|//)' "$page" && fail "the page refers to something outside it: $(grep -Eoi '(src|href)=[^ >]*|@import[^;]*|url\([^)]*\)' "$page" | head -3)"
[ "$(grep -c '<svg class="chart"' "$page")" -ge 5 ] || fail "the page has fewer charts than its 4 rows and the thread scaling: $(grep -c '<svg' "$page")"
grep -q '<h2>best CPU kernel, all threads</h2>' "$page" || fail "no best-kernel section"
grep -q 'M1 avx512 x2' "$page" && grep -q 'M2 shani x2' "$page" || fail "the bars are not labelled by machine and kernel"

browser=$(command -v chromium || command -v chromium-browser)
if [ -z "$browser" ]; then
    echo "skipped: no Chromium (Debian: chromium) to render the page"
    [ "$failures" -gt 0 ] && finish report_html
    exit 77
fi
run_browser() { timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$tmp/profile" --enable-logging=stderr --v=1 "$@"; }
# loaded by a real browser: the DOM it built has the charts, and no console error or failed load
run_browser --dump-dom "file://$page" >"$tmp/dom" 2>"$tmp/log"
[ "$(grep -c "<svg class=\"chart\"" "$tmp/dom")" -ge 5 ] || fail "Chromium's DOM lacks the charts: $(head -c 300 "$tmp/dom")"
# (verbose logging: every console message is an INFO:CONSOLE line, every file
# the page makes the browser read a FileURLLoader line; the page has no
# script, so it may log nothing, and it reads no file but itself)
grep ':CONSOLE' "$tmp/log" && fail "Chromium logged a console message for the page"
grep 'FileURLLoader::Start: ' "$tmp/log" | grep -v "file://$page\$" && fail "the page made the browser read another file"
grep -q "FileURLLoader::Start: file://$page" "$tmp/log" || fail "Chromium's log does not show the page loading: $(tail -n 5 "$tmp/log")"
# drawn: a screenshot, desktop and phone width
run_browser --window-size=1000,2400 --screenshot="$tmp/desktop.png" "file://$page" >/dev/null 2>&1
run_browser --window-size=390,2400 --screenshot="$tmp/phone.png" "file://$page" >/dev/null 2>&1
for png in desktop phone; do
    [ "$(head -c 8 "$tmp/$png.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
        [ "$(stat -c %s "$tmp/$png.png")" -gt 20000 ] || fail "no $png screenshot"
done
finish report_html
