#!/usr/bin/env bash
# Render a claimcheck HTML report in headless Chromium and save a screenshot, to check by eye
# that highlights, colours and links look right (the tests check the markup, not the looks).
#
#   scripts/screenshot_html.sh report.html [out.png] [WIDTHxHEIGHT]
#
# Needs /usr/bin/chromium (Debian: apt-get install -y chromium). Network features are off and
# the profile is a fresh temporary directory, so the page is rendered exactly as mailed: the
# report loads nothing from outside.
set -euo pipefail
page=${1:?usage: screenshot_html.sh REPORT.html [OUT.png] [WIDTHxHEIGHT]}
out=${2:-${page%.*}.png}
size=${3:-1200x1600}
browser=${CHROMIUM:-/usr/bin/chromium}
[ -x "$browser" ] || { echo "no Chromium at $browser: apt-get install -y chromium, or set CHROMIUM" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
abs=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
case "$out" in /*) ;; *) out=$PWD/$out ;; esac
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --screenshot="$out" --window-size="${size/x/,}" \
  "file://$abs" >/dev/null 2>&1
[ -s "$out" ] || { echo "Chromium wrote no screenshot to $out" >&2; exit 1; }
echo "$out"
