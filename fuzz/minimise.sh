#!/bin/sh
# Minimises each target's corpus in place (libFuzzer's -merge=1: the smallest set of inputs with
# the same coverage), then repacks it into corpus/<target>.zip (inputs of at most 1 KB: pack.py).
# A corpus directory that is absent is unpacked from its archive first.
# Usage: fuzz/minimise.sh [TARGET...]
# After a repack, update the counts in tests/fuzz_corpus.rs (COUNTS) and README.md.
set -eu
cd "$(dirname "$0")"
bin=target/x86_64-unknown-linux-gnu/release
targets=${*:-note_grammar reference_grammar read_text read_markdown read_html read_docx}
for t in $targets; do
  case $t in read_docx) len=100000 ;; read_*) len=16384 ;; *) len=4096 ;; esac
  if [ ! -d "corpus/$t" ]; then
    python3 pack.py unpack "$t"
  fi
  mkdir -p "artifacts"
  rm -rf "corpus/$t.min" && mkdir "corpus/$t.min"
  "$bin/$t" -merge=1 -max_len="$len" -timeout=10 "corpus/$t.min" "corpus/$t" > "artifacts/$t.merge.log" 2>&1
  rm -rf "corpus/$t" && mv "corpus/$t.min" "corpus/$t"
  echo "$t: $(ls "corpus/$t" | wc -l) inputs, $(du -sk "corpus/$t" | cut -f1) KB"
  python3 pack.py pack "$t"
done
