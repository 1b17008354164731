#!/bin/sh
# Behaves like a GLaMM training process, for tests and demos (real GLaMM training needs GPUs and cannot run on the
# project machines). Run by the LOCAL launcher in the run bundle (STUDIO_RUN_OUTPUT is the bundle's output/):
#   studio.training.local-command=sh /path/to/fake-train.sh --steps 3 --delay 0.2 --model-from DIR
# It reads the bundle's training annotations, writes progress.json after every step, logs like train.py, and ends
# with a model directory in output/model: a copy of DIR (e.g. the worker's tiny-glamm fixture, which the worker can
# load) or, without --model-from, a glamm.json marked as simulated.
#   --fail-at N   exit 3 at step N with an error on stderr, no model directory
set -eu
steps=3
delay=0.2
fail_at=0
model_from=""
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --delay) delay="$2"; shift 2 ;;
    --fail-at) fail_at="$2"; shift 2 ;;
    --model-from) model_from="$2"; shift 2 ;;
    *) echo "fake-train: unknown option $1" >&2; exit 2 ;;
  esac
done
bundle="${STUDIO_RUN_BUNDLE:-.}"
out="${STUDIO_RUN_OUTPUT:-$bundle/output}"
annotations="$bundle/data/GranDf/annotations/train/GranDf_HA_GCG_train.json"
[ -f "$annotations" ] || { echo "fake-train: $annotations is missing" >&2; exit 4; }
echo "---- Initialized tokenizer (simulated) ----"
echo "training annotations: $(wc -c < "$annotations") bytes"
step=1
while [ "$step" -le "$steps" ]; do
  sleep "$delay"
  if [ "$step" -eq "$fail_at" ]; then
    echo "RuntimeError: CUDA out of memory (simulated) at step $step" >&2
    exit 3
  fi
  loss=$(awk "BEGIN { printf \"%.4f\", 2.0 / ($step + 1) }")
  echo "Epoch: [0][$step/$steps]	Loss $loss"
  printf '{"step": %d, "total_steps": %d, "epoch": 0, "loss": %s, "message": "training"}\n' \
    "$step" "$steps" "$loss" > "$bundle/progress.json.tmp"
  mv "$bundle/progress.json.tmp" "$bundle/progress.json"
  step=$((step + 1))
done
mkdir -p "$out/model"
if [ -n "$model_from" ]; then
  cp -R "$model_from"/. "$out/model/"
else
  echo '{"simulated": true}' > "$out/model/glamm.json"
fi
echo "model written to $out/model"
