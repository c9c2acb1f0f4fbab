#!/bin/sh
# Render an HTML file, or a page of `jeonyong serve`, to a PNG with headless Chromium, to
# look at it.
#   scripts/render_html_png.sh report.html out.png [WIDTH] [HEIGHT]
#   scripts/render_html_png.sh http://127.0.0.1:8001/archive/finding_details out.png
# No other network: Chromium's background networking is switched off.
set -eu
if [ $# -lt 2 ]; then
    echo "usage: $0 FILE.html|URL OUT.png [WIDTH] [HEIGHT]" >&2
    exit 2
fi
case "$1" in
    http://*|https://*) page=$1 ;;
    *) page="file://$(readlink -f "$1")" ;;
esac
out=$(readlink -f "$2")
width=${3:-1400}
height=${4:-3000}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    echo "$0: chromium not found (apt-get install -y chromium)" >&2
    exit 2
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" \
    --screenshot="$out" --window-size="$width,$height" "$page" >/dev/null 2>&1 || {
    echo "$0: chromium failed to render $page" >&2
    exit 1
}
[ -s "$out" ] || { echo "$0: no screenshot written" >&2; exit 1; }
echo "$out"
