#!/usr/bin/env bash
# README command 1: set up the environment, then the main job: a detector
# of this suite learning on CPU. It trains the slim TCM on synthetic scene
# text rendered on the fly (2 CPU processes with gloo, or GPUS GPUs), writes
# a held-out synthetic test set with the generator's CLI, tests the final
# checkpoint with hmean-iou on it AND on the 3 bundled real ICDAR2015 test
# images (drawings of both), runs inference on a folder, and writes the
# learning curve and both numbers (summary.json, learning_curve.png).
#
#   bash tools/run_demo.sh            # env: GPUS=2 CONFIG=... WORK_DIR=...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh
# shellcheck disable=SC1091
source .venv/bin/activate

CONFIG=${CONFIG:-configs/textdet/tcm/tcm_clip-r50-slim_fpnc_synth.py}
GPUS=${GPUS:-2}
NAME="$(basename "$CONFIG" .py)"
WORK_DIR=${WORK_DIR:-work_dirs/demo/$NAME}
# Where the config's test set lives (configs/textdet/_base_/datasets/
# synth.py); seed 2 is held out from training (seed 0) and
# validation (seed 1).
SYNTH_TEST=data/synth
NUM_TEST=${NUM_TEST:-100}
REAL_TEST=data/icdar2015_toy

# A config trained on SynthRenderDataset is tested on its held-out synthetic
# set too; any other (e.g. the real-image toy configs) on the real images only.
SYNTHETIC=0
if python - "$CONFIG" <<'EOF'
import sys
from mmengine.config import Config
cfg = Config.fromfile(sys.argv[1], import_custom_modules=False)
sys.exit(cfg.train_dataloader.dataset.get('type') != 'SynthRenderDataset')
EOF
then
  SYNTHETIC=1
  echo "==> held-out synthetic test set: $NUM_TEST images, seed 2 -> $SYNTH_TEST"
  python tools/dataset_converters/generate_synth.py --renderer-config "$CONFIG" \
    --num "$NUM_TEST" --seed 2 --tasks det --out "$SYNTH_TEST" --workers 2 \
    --overwrite
fi

echo "==> training $CONFIG on $GPUS processes -> $WORK_DIR"
bash tools/dist_train.sh "$CONFIG" "$GPUS" --work-dir "$WORK_DIR"
CKPT="$(cat "$WORK_DIR/last_checkpoint")"

TESTS=()
if [ "$SYNTHETIC" = 1 ]; then
  echo "==> testing $CKPT on the held-out synthetic set (drawings in $WORK_DIR/test_synth/vis)"
  bash tools/dist_test.sh "$CONFIG" "$CKPT" "$GPUS" \
    --work-dir "$WORK_DIR/test_synth" --show-dir "$WORK_DIR/test_synth/vis"
  TESTS+=(--test "synthetic=$WORK_DIR/test_synth")
fi

echo "==> testing $CKPT on the real ICDAR2015 images (drawings in $WORK_DIR/test_icdar2015/vis)"
bash tools/dist_test.sh "$CONFIG" "$CKPT" "$GPUS" \
  --work-dir "$WORK_DIR/test_icdar2015" --show-dir "$WORK_DIR/test_icdar2015/vis" \
  --cfg-options test_dataloader.dataset.data_root="$REAL_TEST" \
  test_dataloader.dataset.ann_file=textdet_test.json
TESTS+=(--test "icdar2015=$WORK_DIR/test_icdar2015")

echo "==> inference on $REAL_TEST/textdet_imgs/test -> $WORK_DIR/infer"
python tools/infer.py "$REAL_TEST/textdet_imgs/test" --det "$CONFIG" \
  --det-weights "$CKPT" --out-dir "$WORK_DIR/infer"

echo "==> learning curve and final numbers"
python tools/misc/learning_summary.py "$WORK_DIR" "${TESTS[@]}"
echo "==> done: $WORK_DIR"
