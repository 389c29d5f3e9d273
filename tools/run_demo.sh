#!/usr/bin/env bash
# README command 1: set up the environment, then the main job on the bundled
# real ICDAR2015 images: distributed training (2 CPU processes with gloo, or
# GPUS GPUs), hmean-iou test of the final checkpoint with drawn results, and
# inference on a folder (drawn images + JSON).
#
#   bash tools/run_demo.sh            # env: GPUS=2 CONFIG=... WORK_DIR=...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh
# shellcheck disable=SC1091
source .venv/bin/activate

CONFIG=${CONFIG:-configs/textdet/tcm/tcm_clip-r50-slim_fpnc_toy.py}
GPUS=${GPUS:-2}
NAME="$(basename "$CONFIG" .py)"
WORK_DIR=${WORK_DIR:-work_dirs/demo/$NAME}

echo "==> training $CONFIG on $GPUS processes -> $WORK_DIR"
bash tools/dist_train.sh "$CONFIG" "$GPUS" --work-dir "$WORK_DIR"
CKPT="$(cat "$WORK_DIR/last_checkpoint")"

echo "==> testing $CKPT (hmean-iou; drawings in $WORK_DIR/test_vis)"
bash tools/dist_test.sh "$CONFIG" "$CKPT" "$GPUS" --work-dir "$WORK_DIR" \
  --show-dir "$WORK_DIR/test_vis" --save-preds

echo "==> inference on data/icdar2015_toy/textdet_imgs/test -> $WORK_DIR/infer"
python tools/infer.py data/icdar2015_toy/textdet_imgs/test --det "$CONFIG" \
  --det-weights "$CKPT" --out-dir "$WORK_DIR/infer"
echo "==> done: $WORK_DIR"
