#!/bin/sh
# Renders ibid's HTML report in a real browser (headless Chromium) and takes its screenshot:
#   1. runs `ibid check --format html -o report.html` on fixtures/essay-internet-governance.txt
#      (or $1);
#   2. has Chromium load the page and dump its DOM (--dump-dom), and checks the page's text: the
#      title, the summary table, every note anchor of the report's index present in the DOM,
#      and as many findings as `ibid check --format json` reports;
#   3. takes a screenshot (--screenshot, 1280x2000) to $SHOT (default: report.png in the work
#      directory) and checks it is a PNG of some size.
# With KEEP=DIR the files stay there (report.html, dom.html, report.png) for a person to look at.
# Needs: chromium (Debian: apt-get install chromium), python3.
# IBID=path/to/ibid (default: target/debug/ibid, built with cargo if missing). Prints OK at the end.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
src=${1:-$root/fixtures/essay-internet-governance.txt}
ibid=${IBID:-$root/target/debug/ibid}
[ -x "$ibid" ] || (cd "$root" && cargo build -q)
command -v chromium >/dev/null || { echo "chromium not found (apt-get install chromium)" >&2; exit 2; }

work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
shot=${SHOT:-$work/report.png}
"$ibid" check --format html -o "$work/report.html" "$src" || true   # exits 1 on findings
"$ibid" check --format json "$src" >"$work/report.json" || true
[ -s "$work/report.html" ] || { echo "FAIL: no report written" >&2; exit 1; }

# Chromium with a profile of its own, nothing fetched, no sandbox (containers, CI)
browse() {
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d)" "$@" 2>>"$work/chromium.log"
}
browse --dump-dom "file://$work/report.html" >"$work/dom.html"
browse --screenshot="$shot" --window-size=1280,2000 "file://$work/report.html" >/dev/null

python3 - "$work" "$shot" <<'PY'
import html, json, re, sys
work, shot = sys.argv[1:3]
dom = open(work + "/dom.html", encoding="utf-8").read()
report = json.load(open(work + "/report.json", encoding="utf-8"))
diags = [d for f in report["files"] for d in f["diagnostics"]]
text = html.unescape(re.sub(r"<[^>]+>", " ", dom))
text = " ".join(text.split())
assert "Citation report" in text, "no title in the rendered page"
assert f"{len(diags)} finding" in text, f"the page does not say {len(diags)} findings"
findings = len(re.findall(r'<div class="finding ', dom))
print(f"DOM: {len(dom)} bytes, {findings} findings shown, {len(diags)} in the JSON report")
assert findings == len(diags), "not every finding is in the rendered page"
ids = set(re.findall(r'\sid="([^"]+)"', dom))
hrefs = re.findall(r'\shref="([^"]*)"', dom)
assert hrefs and all(h.startswith("#") for h in hrefs), "a link leaves the page"
missing = sorted({h[1:] for h in hrefs} - ids)
assert not missing, f"links to no anchor: {missing[:5]}"
for d in diags:
    msg = " ".join(d["message"].split())
    assert msg in text, f"finding not shown: {d['code']} {msg}"
png = open(shot, "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n", "the screenshot is not a PNG"
w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
print(f"screenshot: {shot}, {w}x{h}, {len(png)} bytes")
assert (w, h) == (1280, 2000) and len(png) > 50_000, "the screenshot is empty or cut"
PY
echo OK
