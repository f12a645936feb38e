#!/bin/sh
# Verifies with LibreOffice that `ibid fix` on a .docx gives a file Word processors open, with the
# corrections as tracked changes by "ibid":
#   1. copies fixtures/formats/seed.docx (or $1) to a temporary directory and runs `ibid fix` on it;
#   2. converts the result headless to PDF and to flat ODF (.fodt) with soffice;
#   3. checks that the .fodt holds LibreOffice's own record of the tracked changes (deletions and
#      insertions by ibid, as many as the .docx has) and of the comments ibid left for a person
#      (one annotation by ibid, with its anchored range, per w:comment), that the PDF shows the old and the new text
#      of a fixed citation (deleted text struck through, inserted text underlined: both are
#      printed) (that the text outside the changed citations is unchanged, with all changes
#      rejected equal to the original, is tests/docx_fix.rs's part);
#   4. with KEEP=DIR, leaves the files there and renders the pages to PNG (pdftoppm) for a
#      person to look at.
# Needs: soffice (Debian: apt-get install libreoffice-writer-nogui), pdftotext (poppler-utils).
# IBID=path/to/ibid (default: target/debug/ibid, built with cargo if missing). Prints OK at the end.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
src=${1:-$root/fixtures/formats/seed.docx}
ibid=${IBID:-$root/target/debug/ibid}
[ -x "$ibid" ] || (cd "$root" && cargo build -q)
command -v soffice >/dev/null || { echo "soffice not found (apt-get install libreoffice-writer-nogui)" >&2; exit 2; }
command -v pdftotext >/dev/null || { echo "pdftotext not found (apt-get install poppler-utils)" >&2; exit 2; }

work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
cp "$src" "$work/fixed.docx"
"$ibid" fix "$work/fixed.docx" || true   # exits 1 when findings remain for a person
cmp -s "$src" "$work/fixed.docx" && { echo "FAIL: ibid fix changed nothing" >&2; exit 1; }

# LibreOffice gets its own profile, so that it runs beside a user's instance and in CI
profile="file://$work/lo-profile"
for fmt in pdf fodt; do
    soffice -env:UserInstallation="$profile" --headless --convert-to "$fmt" --outdir "$work" \
        "$work/fixed.docx" >"$work/soffice-$fmt.log" 2>&1
    [ -s "$work/fixed.$fmt" ] || { echo "FAIL: LibreOffice did not convert to $fmt" >&2; cat "$work/soffice-$fmt.log" >&2; exit 1; }
done

python3 - "$work" "$src" "$ibid" <<'EOF'
import re, subprocess, sys, zipfile
work, src, ibid = sys.argv[1:4]
docx = zipfile.ZipFile(work + "/fixed.docx").read("word/footnotes.xml").decode()
dels = len(re.findall(r'<w:del w:id="\d+" w:author="ibid"', docx))
inss = len(re.findall(r'<w:ins w:id="\d+" w:author="ibid"', docx))
fmts = len(re.findall(r'<w:rPrChange w:id="\d+" w:author="ibid"', docx))
fodt = open(work + "/fixed.fodt", encoding="utf-8").read()
regions = re.findall(r'<text:changed-region.*?</text:changed-region>', fodt, re.S)
kinds = {"deletion": 0, "insertion": 0, "format-change": 0}
for r in regions:
    assert "<dc:creator>ibid</dc:creator>" in r, "a change LibreOffice sees is not by ibid: " + r[:300]
    for k in kinds:
        if "<text:" + k + ">" in r:
            kinds[k] += 1
print(f"docx: {dels} w:del, {inss} w:ins, {fmts} w:rPrChange by ibid")
print(f"LibreOffice: {len(regions)} tracked changes: {kinds['deletion']} deletions, "
      f"{kinds['insertion']} insertions, {kinds['format-change']} format changes")
if kinds["deletion"] != dels or kinds["insertion"] != inss:
    sys.exit("FAIL: LibreOffice does not see every tracked change")
# the findings left to a person are Word comments by ibid, anchored in the text: LibreOffice
# reads each as an annotation by ibid with its end mark
names = zipfile.ZipFile(work + "/fixed.docx").namelist()
comments_xml = zipfile.ZipFile(work + "/fixed.docx").read("word/comments.xml").decode() if "word/comments.xml" in names else ""
comments = len(re.findall(r'<w:comment w:id="\d+" w:author="ibid"', comments_xml))
anchored = sum(len(re.findall(r'<w:commentRangeStart w:id="\d+"/>', zipfile.ZipFile(work + "/fixed.docx").read(p).decode()))
               for p in names if p.startswith("word/") and p.endswith(".xml"))
notes = [a for a in re.findall(r'<office:annotation[ >].*?</office:annotation>', fodt, re.S)
         if "<dc:creator>ibid</dc:creator>" in a]
ends = len(re.findall(r'<office:annotation-end ', fodt))
print(f"docx: {comments} comments by ibid, {anchored} anchored; LibreOffice: {len(notes)} annotations by ibid, {ends} with an end")
if comments == 0 or len(notes) != comments or anchored < comments or ends < comments:
    sys.exit("FAIL: LibreOffice does not see every comment")
pdf = subprocess.run(["pdftotext", work + "/fixed.pdf", "-"], capture_output=True, text=True).stdout
# a fixed citation is shown with its deleted and its inserted text side by side (the first such
# pair of words and digits); else the first changed text with a word in it is shown at all
flat = " ".join(pdf.split())
pairs = re.findall(r'<w:del [^>]*><w:r>(?:<w:rPr>.*?</w:rPr>)?<w:delText xml:space="preserve">([^<]+)</w:delText></w:r></w:del><w:ins [^>]*><w:r>(?:<w:rPr>.*?</w:rPr>)?<w:t xml:space="preserve">([^<]+)</w:t>', docx)
pairs = [(o, n) for o, n in pairs if re.fullmatch(r"[\w.,;:()–-]+", o + n)]
if pairs:
    old, new = pairs[0]
    shown = (old + new) in flat.replace(" ", "") or (old + new) in flat
    what = f"first change {old!r} -> {new!r}"
else:
    texts = ["".join(re.findall(r'<w:(?:delText|t)[^>]*>([^<]*)<', m.group(2)))
             for m in re.finditer(r'<w:(del|ins) [^>]*>(.*?)</w:\1>', docx)]
    # prefer a change with a word in it; punctuation alone proves less, but is what there is
    texts = sorted((t.strip() for t in texts if t.strip()), key=lambda t: not re.search(r"\w", t))
    old = texts[0] if texts else ""
    shown = bool(old) and old.replace(" ", "") in flat.replace(" ", "")
    what = f"changed text {old!r}"
print(f"PDF: {pdf.rstrip(chr(12)).count(chr(12)) + 1} pages; {what} "
      f"{'shown as deleted+inserted text' if shown else 'NOT shown'}")
if not shown:
    sys.exit("FAIL: the PDF does not show the first change")
EOF

if [ -n "${KEEP:-}" ] && command -v pdftoppm >/dev/null; then
    pdftoppm -r 80 -png "$work/fixed.pdf" "$work/page"
    echo "pages rendered: $work/page-*.png"
fi
echo OK
