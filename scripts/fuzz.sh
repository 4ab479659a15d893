#!/bin/sh
# Run every libFuzzer target of a fuzz build (make fuzz) for SECONDS each,
# from the project's own seeds, and print one line per target: coverage
# edges, features, executions. A crash stops with libFuzzer's report and the
# input in BUILD/fuzz-out/TARGET/.
# Usage: scripts/fuzz.sh BUILD SECONDS [TARGET...]   (default: every target)
set -eu
build=$1
secs=$2
shift 2
targets=${*:-fuzz_feed fuzz_json_span fuzz_pages fuzz_web_request fuzz_import fuzz_lexicon fuzz_normalize}
src=$(cd "$(dirname "$0")/.." && pwd)
fx=$src/tests/fixtures

seeds() {
  case $1 in
    fuzz_feed) echo "$fx/feeds/rss.xml $fx/feeds/atom.xml $fx/feeds/rdf.xml $fx/feeds/feed.json" ;;
    fuzz_json_span) echo "$fx/masto/statuses-1001.json $fx/bsky/feed-sari-dewi.bsky.example.json $fx/x/tweets-5001.json" ;;
    fuzz_import) echo "$fx/employees-ok.csv $fx/employees-bad.csv $fx/accounts-ok.csv $fx/accounts-bad.csv" ;;
    fuzz_lexicon) echo "$fx/lexicon-small.json" ;;
    fuzz_normalize) echo "$fx/posts.ndjson" ;;
    fuzz_pages) echo "$fx/masto/statuses-1001.json $fx/masto/statuses-1001-v2.json $fx/bsky/feed-sari-dewi.bsky.example.json $fx/bsky/feed-sari-dewi.bsky.example-v3.json $fx/x/tweets-5001.json $fx/x/tweets-5001-v2.json" ;;
    fuzz_web_request) echo "$fx/web/decide.req $fx/web/queue.req $fx/web/login.req $fx/web/asset.req" ;;
  esac
}

export NT_FUZZ_LEXICON="$src/data/lexicon/default-2024.json"
export NT_FUZZ_SLANG="$fx/slang.csv"
summary=""
for t in $targets; do
  bin=$build/tests/${t}_libfuzzer
  [ -x "$bin" ] || { echo "fuzz: $bin tidak ada (build with -DNT_FUZZ=ON)"; exit 1; }
  corpus=$build/fuzz-corpus/$t
  out=$build/fuzz-out/$t
  mkdir -p "$corpus" "$out"
  for f in $(seeds $t); do cp "$f" "$corpus/"; done
  log=$build/fuzz-out/$t.log
  "$bin" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$out/" \
    "$corpus" >"$log" 2>&1 || { tail -40 "$log"; exit 1; }
  edges=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  execs=$(grep 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  summary="$summary$(printf '%-16s edges %6s  features %6s  executions %10s  (%ss)' "$t" "$edges" "$ft" "$execs" "$secs")
"
done
printf '%s' "$summary"
