#!/usr/bin/env python3
"""Packs and unpacks the fuzz corpora: `corpus/<target>/` <-> `corpus/<target>.zip`.

Usage (from anywhere):
  fuzz/pack.py pack [TARGET...]     corpus/<target>/ -> corpus/<target>.zip (inputs of at most
                                    MAX_LEN bytes only, as committed)
  fuzz/pack.py unpack [TARGET...]   corpus/<target>.zip -> corpus/<target>/ (refuses if the
                                    directory exists; remove it first)
Without TARGET, every target.

The archives are reproducible: entries sorted by name, flat (the input's file name only), a fixed
timestamp (1980-01-01 00:00:00, the earliest zip allows), mode 0644, created-on Unix, deflate at
level 9, no comment or extra fields. Packing the same directory twice gives the same bytes with
the same zlib (the deflate stream is zlib's; another zlib may compress differently, the inputs are
the same). `tests/fuzz_corpus.rs` reads the archives directly with the `zip` crate.
"""

import os
import sys
import zipfile

TARGETS = [
    "note_grammar",
    "reference_grammar",
    "read_text",
    "read_markdown",
    "read_html",
    "read_docx",
]
# Only the inputs of at most 1 KB of each minimised set are committed (see README.md).
MAX_LEN = 1024
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def pack(target):
    src = os.path.join(CORPUS, target)
    dst = os.path.join(CORPUS, target + ".zip")
    if not os.path.isdir(src):
        sys.exit(f"{src}: no such directory")
    names = sorted(
        n for n in os.listdir(src) if os.path.isfile(os.path.join(src, n))
    )
    kept = skipped = 0
    tmp = dst + ".tmp"
    with zipfile.ZipFile(tmp, "w") as z:
        for name in names:
            with open(os.path.join(src, name), "rb") as f:
                data = f.read()
            if len(data) > MAX_LEN:
                skipped += 1
                continue
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data, compresslevel=9)
            kept += 1
    os.replace(tmp, dst)
    print(
        f"{target}: {kept} inputs packed, {skipped} over {MAX_LEN} bytes left out, "
        f"{os.path.getsize(dst)} bytes"
    )


def unpack(target):
    src = os.path.join(CORPUS, target + ".zip")
    dst = os.path.join(CORPUS, target)
    if os.path.exists(dst):
        sys.exit(f"{dst} exists: remove it first, or keep it")
    os.makedirs(dst)
    n = 0
    with zipfile.ZipFile(src) as z:
        for info in z.infolist():
            name = info.filename
            # Flat archives only: nothing may land outside the directory.
            if info.is_dir() or "/" in name or "\\" in name or name in ("", ".", ".."):
                sys.exit(f"{src}: unexpected entry {name!r}")
            with open(os.path.join(dst, name), "wb") as f:
                f.write(z.read(info))
            n += 1
    print(f"{target}: {n} inputs unpacked into {dst}")


def main(argv):
    if len(argv) < 2 or argv[1] not in ("pack", "unpack"):
        sys.exit(__doc__)
    targets = argv[2:] or TARGETS
    for t in targets:
        if t not in TARGETS:
            sys.exit(f"unknown target {t!r} (one of {', '.join(TARGETS)})")
        (pack if argv[1] == "pack" else unpack)(t)


if __name__ == "__main__":
    main(sys.argv)
