#!/bin/sh
# Train the bundled stance model, data/model/stance-default.bin, the way it
# was trained: the hand-labelled real X posts of ../shared/corpora (x-dev:
# SUPPORT / OPPOSE / NEUTRAL, UNCLEAR left out), the news headlines there
# (all NEUTRAL), and the project's own civil-servant posts
# (data/training/asn-posts.ndjson, written by scripts/stance-data.py).
# Never ../shared/eval/: that set measures generalisation only.
# Deterministic: the same data, lexicon and seed give the same bytes.
#
# usage: scripts/train-default-model.sh [NETRA] [CORPORA]
set -eu
cd "$(dirname "$0")/.."
NETRA=${1:-build/netra}
X=${2:-../shared/corpora}
python3 scripts/stance-data.py data/training/asn-posts.ndjson
"$NETRA" model train \
  --lexicon data/lexicon/default-2024.json \
  --labels "$X/x-posts-2023/labels-dev.csv" \
  --texts "$X/x-posts-2023/posts_2023-11-15_to_2023-11-30.csv" \
  --data data/training/asn-posts.ndjson \
  --label NEUTRAL --data "$X/news-headlines/headlines_prabowo_gibran_2023.csv" \
  --recall 0.91 --priority-ff 0.04 --c 0.5 --folds 5 --seed 1 \
  --version stance-2024.3 --out data/model/stance-default.bin
