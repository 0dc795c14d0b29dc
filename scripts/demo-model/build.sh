#!/usr/bin/env bash
# Builds the studio's demo model from packaged text, end to end (see README.md beside this file):
#   scripts/demo-model/build.sh [pretrain.py options, e.g. --steps 300 for a smoke run]
# Every step is deterministic and skips work already done; an interrupted run resumes where it stopped.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
if ! $PY -c 'import torch' 2>/dev/null; then
  echo "error: PyTorch is missing. Install it with: apt-get install python3-torch libopenblas0-pthread" >&2
  exit 1
fi
export PYTHONPATH=scripts/demo-model PYTHONUNBUFFERED=1
BUILD=build/demo-model
if [ ! -f "$BUILD/data/counts.json" ]; then $PY scripts/demo-model/prepare.py --build "$BUILD"; fi
$PY scripts/demo-model/tokenizer.py "$BUILD"
# The run's folder (pretrain.py --run NAME) is what export.py reads.
RUN=run prev=
for a in "$@"; do
  [ "$prev" = --run ] && RUN=$a
  case $a in --run=*) RUN=${a#--run=} ;; esac
  prev=$a
done
$PY scripts/demo-model/pretrain.py --build "$BUILD" "$@" 2>&1 | tee -a "$BUILD/pretrain.log"
$PY scripts/demo-model/export.py --build "$BUILD" --run "$RUN" --out public/demo-model
echo "Next: npm run bench:learn (held-out prompt tuning on the new model), then commit public/demo-model."
