#!/bin/sh
# Runs every target in turn for SECONDS (default 300) or RUNS executions (default 10 million),
# whichever comes first, one process, and prints the figures.
# Usage: fuzz/run-all.sh [SECONDS [RUNS [TARGET...]]]
#   (after `RUSTC_BOOTSTRAP=1 cargo fuzz build -s none -a`)
# A target's corpus is unpacked from corpus/<target>.zip into corpus/<target>/ (untracked) if that
# directory is absent; the run grows the directory, never the archive: ./minimise.sh repacks.
set -u
cd "$(dirname "$0")"
secs=${1:-300}
runs=${2:-10000000}
[ $# -gt 2 ] && shift 2 && targets="$*"
bin=target/x86_64-unknown-linux-gnu/release
for t in ${targets:-note_grammar reference_grammar read_text read_markdown read_html read_docx}; do
  case $t in read_docx) len=100000 ;; read_*) len=16384 ;; *) len=4096 ;; esac
  mkdir -p "artifacts/$t"
  if [ ! -d "corpus/$t" ] && [ -f "corpus/$t.zip" ]; then
    python3 pack.py unpack "$t" || exit 1
  fi
  mkdir -p "corpus/$t"
  "$bin/$t" "corpus/$t" -max_total_time="$secs" -runs="$runs" -max_len="$len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 > "artifacts/$t.log" 2>&1
  echo "$t: exit $? $(grep -E '^Done|stat::number_of_executed_units' "artifacts/$t.log" | tr '\n' ' ')"
done
