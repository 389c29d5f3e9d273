#!/usr/bin/env bash
# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
# One-call CUDA checks on a bare GPU machine that has python3 + torch but no
# OpenMMLab and no network: install the carried wheels (.whl/), build mmcv
# 2.0.1's ops (CPU only) from the carried sdist, import check, TCM/FastTCM
# CUDA forward benchmarks (fp32 via tools/benchmark.py; tf32/bf16/fp16
# autocast below), a few AMP training iterations of the TCM toy config, and
# the InstructOCR benchmark when it exists. Results go to $OUT (<= 8 files).
#
#   bash tools/misc/gpu_checks.sh             # on the GPU machine
#   DRY_RUN=1 bash tools/misc/gpu_checks.sh   # print the commands only
#   SKIP_INSTALL=1 SKIP_BUILD=1 DEVICE=cpu QUICK=1 PYTHON=.venv/bin/python \
#       bash tools/misc/gpu_checks.sh         # argument check in our venv
#
# Environment: OUT (default /tmp/gpu_checks_out), PYTHON (python3), SITE
# (/tmp/site: wheels and mmcv), NP1 (/tmp/np1: numpy 1.26.4, put in front
# only if the machine's compiled packages import with it), NUMPY_MODE
# (auto | 1.26 | device), DEVICE (cuda), QUICK=1 (tiny sizes/iterations),
# SKIP_INSTALL=1, SKIP_BUILD=1, BUILD_TIMEOUT (s, 420), MAX_JOBS (nproc),
# STEPS (e.g. "5 7": run only these of the steps 5-9; the set-up steps 0-4
# always run and are quick when done), DEADLINE (s after
# the start by which every step has ended, 560: fits a 600 s call),
# AMP_MODELS (step 6: NAME=CONFIG ...), INSTRUCTOCR_ARGS (extra arguments of
# tools/benchmark_instructocr.py). Every step prints a banner and is
# time-boxed (its own cap and the DEADLINE); a failed step does not stop
# the independent later ones. Re-running on the same (warm) machine skips
# the install and the mmcv build if they are done.
set -u -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT" || exit 1
OUT="${OUT:-/tmp/gpu_checks_out}"
PY="${PYTHON:-python3}"
SITE="${SITE:-/tmp/site}"
NP1="${NP1:-/tmp/np1}"
NUMPY_MODE="${NUMPY_MODE:-auto}"
DEVICE="${DEVICE:-cuda}"
DRY_RUN="${DRY_RUN:-0}"
QUICK="${QUICK:-0}"
BUILD_TIMEOUT="${BUILD_TIMEOUT:-420}"
DEADLINE="${DEADLINE:-560}"
STEPS="${STEPS:-}"
INSTRUCTOCR_ARGS="${INSTRUCTOCR_ARGS:-}"
export PYTHONUNBUFFERED=1
export MAX_JOBS="${MAX_JOBS:-$(nproc)}"
mkdir -p "$OUT"

TCM_CFG=configs/textdet/tcm/tcm_clip-r50_fpnc_1200e_icdar2015.py
FASTTCM_CFG=configs/textdet/tcm/fasttcm_clip-r50_fpnc_1200e_icdar2015.py
DBNET_CFG=mmocr::textdet/dbnet/dbnet_resnet50_1200e_icdar2015.py
TOY_CFG=configs/textdet/tcm/tcm_clip-r50-slim_fpnc_toy.py
AMP_MODELS="${AMP_MODELS:-tcm=$TCM_CFG fasttcm=$FASTTCM_CFG dbnet-r50=$DBNET_CFG}"
if [ "$QUICK" = 1 ]; then
  SIZES="320"; BATCHES="1 2"; ITERS=2; WARMUP=1; EPOCHS=1
else
  SIZES="736"; BATCHES="1 8"; ITERS=20; WARMUP=3; EPOCHS=2
fi

START=$SECONDS
SUMMARY=()
STEP=""
STEP_T0=0

# want N: is step N selected (STEPS)?
want() {
  [ -z "$STEPS" ] || [[ " $STEPS " == *" $1 "* ]]
}
# tmo CAP: seconds this step may run: CAP, less if the DEADLINE is nearer;
# prints 0 when fewer than 15 s are left
tmo() {
  local left=$((DEADLINE - (SECONDS - START)))
  if [ "$left" -lt 15 ]; then echo 0
  elif [ "$left" -lt "$1" ]; then echo "$left"
  else echo "$1"; fi
}
# skip_step NAME: record a step that was not run
skip_step() {
  SUMMARY+=("$(printf '%-34s %-16s' "$1" "$2")")
  printf '\n======== %s: %s ========\n' "$1" "$2"
}
banner() {
  STEP="$1"
  STEP_T0=$SECONDS
  printf '\n======== %s  [%s, +%ss] ========\n' "$1" "$(date +%H:%M:%S)" \
    "$((SECONDS - START))"
}
# record RC: one summary line for the current step
record() {
  local rc=$1 status=OK
  [ "$rc" = 0 ] || status="FAILED (rc=$rc)"
  [ "$rc" = 124 ] && status="TIMED OUT"
  SUMMARY+=("$(printf '%-34s %-16s %4ss' "$STEP" "$status" \
    "$((SECONDS - STEP_T0))")")
  [ "$rc" = 0 ] || printf '!!! step "%s": %s\n' "$STEP" "$status"
}
# run CMD...: echo it, then run it (not in DRY_RUN)
run() {
  echo "+ $*"
  [ "$DRY_RUN" = 1 ] && return 0
  "$@"
}

site_path() {  # PYTHONPATH for the chosen numpy mode
  if [ "$NUMPY_MODE" = 1.26 ]; then
    echo "$NP1:$SITE:$ROOT"
  else
    echo "$SITE:$ROOT"
  fi
}

probe_stack() {  # the machine's compiled packages with the numpy in front
  "$PY" - <<'EOF'
import numpy as np
import cv2, scipy.ndimage, skimage.transform, shapely, pycocotools.mask
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot
import torch, torchvision
assert float(torch.from_numpy(np.ones(3)).sum()) == 3.0
cv2.resize(np.zeros((8, 8, 3), np.uint8), (4, 4))
skimage.transform.resize(np.zeros((8, 8)), (4, 4))
import imgaug.augmenters as iaa
iaa.Fliplr(0.5)(image=np.zeros((8, 8, 3), np.uint8))
print('numpy', np.__version__, 'cv2', cv2.__version__, 'torch',
      torch.__version__, ': stack imports')
EOF
}

patch_imgaug() {  # imgaug 0.4.0 reads np.sctypes (gone in numpy 2)
  local f="$SITE/imgaug/imgaug.py"
  grep -q 'np.sctypes' "$f" || return 0
  sed -i \
    -e 's/set(np.sctypes\["float"\])/{np.float16, np.float32, np.float64, np.longdouble}/' \
    -e 's/set(np.sctypes\["int"\])/{np.int8, np.int16, np.int32, np.int64}/' \
    -e 's/set(np.sctypes\["uint"\])/{np.uint8, np.uint16, np.uint32, np.uint64}/' \
    "$f"
  echo "patched $f for numpy 2 (np.sctypes)"
}

setup() {
  banner "0 machine"
  run nvidia-smi
  run "$PY" -c "import sys, torch; print(sys.version); print('torch', torch.__version__, 'cuda', torch.version.cuda, 'available', torch.cuda.is_available())"
  "$PY" -m pip list 2>/dev/null | grep -iE '^(numpy|opencv|setuptools|scipy|scikit-image|matplotlib|timm|transformers|tokenizers|huggingface|pillow|ninja|shapely) '
  echo "nproc $(nproc); $(g++ --version 2>&1 | head -1); ninja $(ninja --version 2>&1)"
  free -g 2>/dev/null | head -2
  record 0

  banner "1 install carried wheels"
  if [ "${SKIP_INSTALL:-0}" = 1 ]; then
    echo "SKIP_INSTALL=1: using the current environment"; record 0
  elif [ -f "$SITE/.gpu_checks_installed" ]; then
    echo "already installed in $SITE"; record 0
  else
    local wheels
    wheels=$(ls .whl/*.whl | grep -v '/numpy-')
    # shellcheck disable=SC2086
    run "$PY" -m pip install -q --no-index --no-deps --no-compile \
      --no-cache-dir --upgrade --target "$SITE" $wheels &&
      run "$PY" -m pip install -q --no-index --no-deps --no-compile \
        --no-cache-dir --upgrade --target "$NP1" .whl/numpy-*.whl
    local rc=$?
    [ "$rc" = 0 ] && [ "$DRY_RUN" != 1 ] && touch "$SITE/.gpu_checks_installed"
    record $rc
  fi

  banner "2 numpy choice ($NUMPY_MODE)"
  if [ "$NUMPY_MODE" = auto ]; then
    if [ "$DRY_RUN" = 1 ]; then
      echo "+ PYTHONPATH=$NP1:$SITE:$ROOT probe_stack"; NUMPY_MODE=1.26
    elif PYTHONPATH="$NP1:$SITE:$ROOT" probe_stack; then
      NUMPY_MODE=1.26
    else
      echo "!!! the machine's packages do not import with numpy 1.26.4:" \
        "using its own numpy with imgaug patched"
      NUMPY_MODE=device
    fi
  fi
  [ "$NUMPY_MODE" = device ] && [ "$DRY_RUN" != 1 ] && patch_imgaug
  export PYTHONPATH
  PYTHONPATH="$(site_path)"
  echo "NUMPY_MODE=$NUMPY_MODE PYTHONPATH=$PYTHONPATH"
  if [ "$DRY_RUN" = 1 ]; then record 0; else probe_stack; record $?; fi

  banner "3 mmcv 2.0.1 ops (CPU-only build)"
  if [ "${SKIP_BUILD:-0}" = 1 ]; then
    echo "SKIP_BUILD=1"; record 0
  elif [ "$DRY_RUN" != 1 ] && "$PY" -c 'import mmcv.ops' 2>/dev/null; then
    echo "mmcv.ops already imports"; record 0
  else
    local src=/tmp/mmcv_src/mmcv-2.0.1 std t0 rc
    run rm -rf /tmp/mmcv_src /tmp/mmcv_dist
    run mkdir -p /tmp/mmcv_src
    run tar -xzf .whl/mmcv-2.0.1.tar.gz -C /tmp/mmcv_src
    if [ "$DRY_RUN" = 1 ]; then std='c++NN'; else
      std=$("$PY" tools/misc/torch_cxx_std.py) || std=''
    fi
    [ -n "$std" ] || { echo "!!! torch_cxx_std.py failed: using c++17"; std=c++17; }
    echo "C++ standard of this torch: -std=$std; MAX_JOBS=$MAX_JOBS"
    # torch builds in parallel only with a ninja on PATH (else one file at
    # a time: far too slow); the interpreter's own bin/ first, then a shim
    # for the ninja Python package
    PATH="$(dirname "$(command -v "$PY")"):$PATH"
    if ! command -v ninja >/dev/null && "$PY" -c 'import ninja' 2>/dev/null; then
      mkdir -p /tmp/ninja_shim
      printf '#!/bin/sh\nexec "%s" -m ninja "$@"\n' "$(command -v "$PY")" \
        > /tmp/ninja_shim/ninja
      chmod +x /tmp/ninja_shim/ninja
      PATH="/tmp/ninja_shim:$PATH"
    fi
    echo "ninja: $(command -v ninja || echo 'NOT FOUND: serial build')" \
      "$(ninja --version 2>/dev/null); $(command -v c++ g++ | head -1)"
    run sed -i "s/-std=c++14/-std=$std/g" "$src/setup.py"
    t0=$SECONDS
    local bt
    bt=$(tmo "$BUILD_TIMEOUT")
    [ "$bt" = 0 ] && bt=15  # (timeout 0 would mean no limit)
    # GPU hidden: CPU ops only (no nvcc pass). CFLAGS replaces the
    # interpreter's flags (-g -O2/-O3) in setuptools' compiler set-up:
    # -O0 -g0 compiles and links fastest; these checks call no mmcv op (the
    # ops only have to import), so their CPU speed does not matter here.
    echo "+ (cd $src && CUDA_VISIBLE_DEVICES= FORCE_CUDA=0 MMCV_WITH_OPS=1" \
      "CFLAGS='-O0 -g0 -DNDEBUG' timeout $bt $PY -m pip wheel -v --no-deps" \
      "--no-build-isolation --no-cache-dir . -w /tmp/mmcv_dist)" \
      "> /tmp/mmcv_build.log"
    if [ "$DRY_RUN" = 1 ]; then
      rc=0
    else
      (cd "$src" && CUDA_VISIBLE_DEVICES= FORCE_CUDA=0 MMCV_WITH_OPS=1 \
        CFLAGS="-O0 -g0 -DNDEBUG" timeout -k 10 "$bt" \
        "$PY" -m pip wheel -v --no-deps --no-build-isolation --no-cache-dir \
        . -w /tmp/mmcv_dist 2>&1) | tee /tmp/mmcv_build.log | awk '
        /^ *\[[0-9]+\/[0-9]+\]/ { f = ""; for (i = 1; i <= NF; i++) if ($i ~ /\.(cpp|cu)$/) f = $i
                                 sub(/.*\/csrc\//, "", f); print "   ", $1, f; fflush() }'
      rc=$?
      if [ "$rc" = 0 ] && ! ls /tmp/mmcv_dist/mmcv-*.whl >/dev/null 2>&1; then
        rc=1
      fi
    fi
    echo "mmcv build: $((SECONDS - t0)) s (rc=$rc)"
    if [ "$rc" = 0 ]; then
      run "$PY" -m pip install -q --no-index --no-deps --no-compile \
        --no-cache-dir --upgrade --target "$SITE" /tmp/mmcv_dist/mmcv-*.whl
      rc=$?
    else
      tail -n 80 /tmp/mmcv_build.log
      tail -n 400 /tmp/mmcv_build.log > "$OUT/mmcv_build_tail.log"
    fi
    record $rc
  fi

  banner "4 import check"
  import_check() {
    run "$PY" -c "import mmcv, mmcv.ops, mmdet, mmocr, mmocr_ext, mmocr_ext.registration, numpy, transformers, timm, open_clip; mmocr_ext.register_all_modules(); print('numpy', numpy.__version__, '| mmcv', mmcv.__version__, '| mmdet', mmdet.__version__, '| mmocr', mmocr.__version__, '| mmocr_ext', mmocr_ext.__version__)"
  }
  import_check
  local rc=$?
  if [ "$rc" != 0 ] && [ "$NUMPY_MODE" = 1.26 ] && [ "$DRY_RUN" != 1 ]; then
    echo "!!! import check failed with numpy 1.26.4: retrying with the machine's numpy"
    NUMPY_MODE=device
    patch_imgaug
    PYTHONPATH="$(site_path)"
    echo "NUMPY_MODE=$NUMPY_MODE PYTHONPATH=$PYTHONPATH"
    import_check
    rc=$?
  fi
  [ "$rc" = 0 ] && run "$PY" -m mmocr_ext.env
  record $rc
}

# guarded STEP_NAME CAP FUNC: banner, FUNC TIMEOUT (capped by the DEADLINE),
# summary line; skipped when not in STEPS or out of time
guarded() {
  local name="$1" cap="$2" fn="$3" t
  want "${name%% *}" || { skip_step "$name" "not selected"; return; }
  t=$(tmo "$cap")
  [ "$t" = 0 ] && { skip_step "$name" "SKIPPED: no time"; return; }
  banner "$name (limit ${t}s)"
  "$fn" "$t"
  record $?
}

step5() {  # interleaved: one process, models timed round-robin; torch's
  # default TF32 settings (cuDNN convolutions may use TF32, matmuls do not)
  run timeout -k 10 "$1" "$PY" tools/benchmark.py --interleaved \
    --model "dbnet-r50=$DBNET_CFG" --model "tcm=$TCM_CFG" \
    --model "fasttcm=$FASTTCM_CFG" --sizes $SIZES --batch-sizes $BATCHES \
    --iters "$ITERS" --warmup "$WARMUP" --threads 8 --device "$DEVICE" \
    --out "$OUT/bench_${DEVICE}_fp32.json"
}

step6() {
  echo "+ $PY - (inline below: tools/benchmark.py's build_model, precision" \
    "modes) -> $OUT/bench_${DEVICE}_amp.json; models: $AMP_MODELS"
  [ "$DRY_RUN" = 1 ] && return 0
  BENCH_OUT="$OUT/bench_${DEVICE}_amp.json" BENCH_SIZES="$SIZES" \
    BENCH_BATCHES="$BATCHES" BENCH_ITERS="$ITERS" BENCH_WARMUP="$WARMUP" \
    BENCH_DEVICE="$DEVICE" BENCH_MODELS="$AMP_MODELS" \
    timeout -k 10 "$1" "$PY" - <<'EOF'
import importlib.util, json, os, statistics, time
import torch

spec = importlib.util.spec_from_file_location('bench', 'tools/benchmark.py')
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
dev = os.environ['BENCH_DEVICE']
cuda = dev.startswith('cuda')
sizes = [int(s) for s in os.environ['BENCH_SIZES'].split()]
batches = [int(b) for b in os.environ['BENCH_BATCHES'].split()]
iters, warmup = int(os.environ['BENCH_ITERS']), int(os.environ['BENCH_WARMUP'])
modes = ['fp32', 'tf32', 'bf16', 'fp16'] if cuda else ['fp32', 'bf16']
results = []


def set_mode(mode):
    tf32 = mode == 'tf32'
    torch.backends.cuda.matmul.allow_tf32 = tf32
    torch.backends.cudnn.allow_tf32 = tf32


def ctx(mode):
    if mode in ('bf16', 'fp16'):
        dt = torch.bfloat16 if mode == 'bf16' else torch.float16
        return torch.autocast('cuda' if cuda else 'cpu', dtype=dt)
    return torch.autocast('cuda' if cuda else 'cpu', enabled=False)


def timed(fn):
    if cuda:
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(
            enable_timing=True)
        torch.cuda.synchronize()
        s.record()
        fn()
        e.record()
        torch.cuda.synchronize()
        return s.elapsed_time(e) / 1e3
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def dump():
    info = dict(torch=torch.__version__, device=dev,
                gpu=torch.cuda.get_device_name() if cuda else None,
                cudnn=torch.backends.cudnn.version() if cuda else None,
                machine=bench.machine(), results=results)
    with open(os.environ['BENCH_OUT'], 'w') as f:
        json.dump(info, f, indent=2)


def first_tensor(out):
    while isinstance(out, (tuple, list)):
        out = out[0]
    return out.float()


for spec_ in os.environ['BENCH_MODELS'].split():
    name, cfg = spec_.split('=', 1)
    try:
        model = bench.build_model(cfg, dev)
    except Exception as exc:  # noqa
        print(f'!!! {name}: build failed: {exc!r}')
        continue
    for size in sizes:
        h, w = bench.input_shape(size)
        for batch in batches:
            g = torch.Generator().manual_seed(size + batch)
            x = torch.randn(batch, 3, h, w, generator=g).to(dev)
            ref = None
            for mode in modes:
                try:
                    set_mode(mode)
                    if cuda:
                        torch.cuda.reset_peak_memory_stats()
                    with torch.no_grad(), ctx(mode):
                        for _ in range(warmup):
                            out = model(x, mode='tensor')
                        times = [timed(lambda: model(x, mode='tensor'))
                                 for _ in range(iters)]
                        out = first_tensor(model(x, mode='tensor'))
                    if ref is None:
                        ref = out
                    rel = float((out - ref).norm() / ref.norm())
                    med = statistics.median(times)
                    cell = dict(model=name, size=[h, w], batch=batch,
                                mode=mode, median_s=med, best_s=min(times),
                                times_s=times, images_per_s=batch / med,
                                rel_err_vs_fp32=rel,
                                finite=bool(torch.isfinite(out).all()))
                    if cuda:
                        cell['peak_cuda_mib'] = (
                            torch.cuda.max_memory_allocated() / 2**20)
                    results.append(cell)
                    print(f'{name:>10} {h}x{w} x{batch} {mode:>4}: '
                          f'{med * 1e3:8.2f} ms  {batch / med:8.1f} img/s  '
                          f'rel.err {rel:.1e}  '
                          f'peak {cell.get("peak_cuda_mib", 0):.0f} MiB',
                          flush=True)
                except Exception as exc:  # noqa
                    print(f'!!! {name} {mode} x{batch}: {exc!r}', flush=True)
    del model
    if cuda:
        torch.cuda.empty_cache()
    dump()  # after every model: a time-out keeps what was measured
set_mode('fp32')
print('wrote', os.environ['BENCH_OUT'])
EOF
}

train_toy() {  # train_toy TIMEOUT WORK_DIR VAL_INTERVAL [--amp]
  run rm -rf "$2"
  run timeout -k 10 "$1" "$PY" tools/train.py "$TOY_CFG" "${@:4}" \
    --work-dir "$2" --cfg-options "train_cfg.max_epochs=$EPOCHS" \
    "train_cfg.val_interval=$3" default_hooks.logger.interval=1 \
    randomness.seed=0
}
step7() {
  if [ "$DEVICE" = cuda ]; then
    train_toy "$1" /tmp/wd_amp "$EPOCHS" --amp
  else  # mmengine's AmpOptimWrapper needs CUDA
    train_toy "$1" /tmp/wd_amp "$EPOCHS"
  fi
}
step9() { train_toy "$1" /tmp/wd_fp32 1000; }

step8() {
  if [ ! -f tools/benchmark_instructocr.py ]; then
    echo "tools/benchmark_instructocr.py not there: skipped"; return 0
  fi
  # shellcheck disable=SC2086
  run timeout -k 10 "$1" "$PY" tools/benchmark_instructocr.py \
    --device "$DEVICE" --out "$OUT/instructocr_${DEVICE}.json" \
    $INSTRUCTOCR_ARGS
}

main() {
  [ "$DRY_RUN" = 1 ] || rm -rf /tmp/wd_amp /tmp/wd_fp32
  setup
  guarded "5 benchmark fp32 ($DEVICE): DBNet-R50, TCM, FastTCM" 150 step5
  guarded "6 benchmark fp32/tf32/bf16/fp16 ($DEVICE)" 150 step6
  local mode='--amp'
  [ "$DEVICE" = cuda ] || mode='fp32'
  guarded "7 train TCM toy $mode ($EPOCHS epochs x 5 iterations)" 120 step7
  guarded "8 InstructOCR benchmark" 240 step8
  guarded "9 train TCM toy fp32 (comparison)" 90 step9

  printf '\n======== summary  [%s, total %ss] ========\n' \
    "$(date +%H:%M:%S)" "$((SECONDS - START))"
  printf '%s\n' "${SUMMARY[@]}" | tee "$OUT/summary.txt"
  if [ "$DRY_RUN" != 1 ]; then
    local f
    for f in "$OUT"/bench_*_fp32.json "$OUT"/bench_*_amp.json; do
      [ -f "$f" ] || continue
      "$PY" - "$f" <<'EOF' | tee -a "$OUT/summary.txt"
import json, sys
d = json.load(open(sys.argv[1]))
for c in d['results']:
    print(f"{c['model']:>10} {c['size'][0]}x{c['size'][1]} x{c['batch']:<2} "
          f"{c.get('mode', 'fp32'):>4}: {c['median_s'] * 1e3:8.2f} ms "
          f"{c['images_per_s']:8.1f} img/s")
EOF
    done
    grep -h "Epoch(train)" /tmp/wd_amp/*/*.log 2>/dev/null |
      sed 's/.*Epoch(train)/train amp  /; s/base_lr.*lr: [^ ]* *//' |
      tail -n 10 | tee -a "$OUT/summary.txt"
    grep -h "Epoch(train)" /tmp/wd_fp32/*/*.log 2>/dev/null |
      sed 's/.*Epoch(train)/train fp32 /; s/base_lr.*lr: [^ ]* *//' |
      tail -n 10 | tee -a "$OUT/summary.txt"
  fi
}

main 2>&1 | tee "$OUT/gpu_checks.log"
