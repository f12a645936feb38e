#!/bin/sh
# Minimises each target's corpus in place (libFuzzer's -merge=1: the smallest set of inputs with
# the same coverage). Usage: fuzz/minimise.sh [TARGET...]
set -eu
cd "$(dirname "$0")"
bin=target/x86_64-unknown-linux-gnu/release
targets=${*:-note_grammar reference_grammar read_text read_markdown read_html read_docx}
for t in $targets; do
  case $t in read_docx) len=100000 ;; read_*) len=16384 ;; *) len=4096 ;; esac
  rm -rf "corpus/$t.min" && mkdir "corpus/$t.min"
  "$bin/$t" -merge=1 -max_len="$len" -timeout=10 "corpus/$t.min" "corpus/$t" > "artifacts/$t.merge.log" 2>&1
  rm -rf "corpus/$t" && mv "corpus/$t.min" "corpus/$t"
  echo "$t: $(ls "corpus/$t" | wc -l) inputs, $(du -sk "corpus/$t" | cut -f1) KB"
done
