#!/usr/bin/env bash
# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
# One idempotent set-up of the mmocr_ext environment (used by README and .ci/run).
#
#   bash tools/setup_env.sh            # creates/updates .venv/ in the repository root
#
# Environment variables:
#   VENV=path         virtualenv location (default: <repo>/.venv)
#   PYTHON=python3.11 interpreter used to create the virtualenv (default: python3)
#   FORCE_CUDA=1      build mmcv's CUDA ops even if no GPU is visible (needs nvcc)
#   MMCV_CACHE=dir    where built mmcv wheels are cached
#                     (default: ${XDG_CACHE_HOME:-$HOME/.cache}/mmocr_ext/wheels)
#   MAX_JOBS=N        parallel compile jobs for the mmcv build (default: nproc)
#
# Steps: venv -> build tools -> torch/torchvision -> mmcv (cached wheel or
# source build with ops) -> OpenMMLab + model deps -> mmocr_ext (editable)
# -> import check. Every step prints a banner; a failure names the step.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
CONSTRAINTS="$ROOT/requirements/constraints.txt"
CACHE="${MMCV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmocr_ext/wheels}"
MMCV_VERSION="$(sed -n 's/^mmcv==//p' "$CONSTRAINTS")"
TOTAL=7
STEP_NAME="start"

step() {
  STEP_NAME="$2"
  printf '\n==> [%s/%s] %s  (%s)\n' "$1" "$TOTAL" "$2" "$(date +%H:%M:%S)"
}
on_error() {
  printf '\n!!! mmocr_ext set-up FAILED at step: %s\n' "$STEP_NAME" >&2
  printf '!!! See the output above; re-running this script resumes where it can.\n' >&2
}
trap on_error ERR

step 1 "virtualenv at $VENV"
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check)
"$PY" -c 'import sys; assert sys.version_info >= (3, 9), sys.version'

step 2 "build tools (pip, setuptools<80 for pkg_resources, wheel, ninja)"
"${PIP[@]}" install -q -c "$CONSTRAINTS" --upgrade pip setuptools wheel ninja

step 3 "torch, torchvision, numpy<2"
"${PIP[@]}" install -c "$CONSTRAINTS" torch torchvision numpy

step 4 "mmcv $MMCV_VERSION with compiled ops"
# Cache key: mmcv, torch, python and CUDA versions (cpu when no CUDA ops).
KEY="$("$PY" - <<'EOF'
import os, sys, torch
cuda = torch.version.cuda if (torch.cuda.is_available()
                              or os.environ.get('FORCE_CUDA') == '1') else None
print(f"torch{torch.__version__.split('+')[0]}-py{sys.version_info.major}"
      f"{sys.version_info.minor}-{'cu' + cuda.replace('.', '') if cuda else 'cpu'}")
EOF
)"
WHEEL_DIR="$CACHE/mmcv-$MMCV_VERSION-$KEY"
mmcv_ok() {
  "$PY" -c "import mmcv, mmcv.ops; assert mmcv.__version__ == '$MMCV_VERSION'" 2>/dev/null
}
if mmcv_ok && [ -f "$VENV/.mmcv-key" ] && [ "$(cat "$VENV/.mmcv-key")" = "$KEY" ]; then
  echo "mmcv $MMCV_VERSION ($KEY) already installed"
else
  if ! ls "$WHEEL_DIR"/mmcv-*.whl >/dev/null 2>&1; then
    echo "no cached wheel in $WHEEL_DIR: building from the PyPI sdist (about 20 min on 2 cores)"
    BUILD="$(mktemp -d)"
    "${PIP[@]}" download --no-deps --no-binary mmcv --no-build-isolation \
      "mmcv==$MMCV_VERSION" -d "$BUILD"
    tar -xzf "$BUILD/mmcv-$MMCV_VERSION.tar.gz" -C "$BUILD"
    SRC="$BUILD/mmcv-$MMCV_VERSION"
    # mmcv 2.0.1 hard-codes -std=c++14; torch 2.15 headers need C++20 (we use
    # whatever standard torch's own extension builder uses).
    CXX_STD="$("$PY" "$ROOT/tools/misc/torch_cxx_std.py")"
    sed -i "s/-std=c++14/-std=$CXX_STD/g" "$SRC/setup.py"
    echo "compiling with -std=$CXX_STD, MMCV_WITH_OPS=1, FORCE_CUDA=${FORCE_CUDA:-0}"
    mkdir -p "$WHEEL_DIR"
    # Full compiler output goes to build.log; the console shows one line per
    # compiled file ([n/N] path) from ninja.
    (cd "$SRC" && MMCV_WITH_OPS=1 "${PIP[@]}" wheel -v --no-deps --no-build-isolation \
      . -w "$BUILD/dist" 2>&1) | tee "$BUILD/build.log" | awk '
      /^ *\[[0-9]+\/[0-9]+\]/ { f = ""; for (i = 1; i <= NF; i++) if ($i ~ /\.(cpp|cu)$/) f = $i
                               sub(/.*\/csrc\//, "", f); print "   ", $1, f; fflush() }' || true
    if ! ls "$BUILD"/dist/mmcv-*.whl >/dev/null 2>&1; then
      tail -n 60 "$BUILD/build.log" >&2
      echo "mmcv wheel build failed; full log: $BUILD/build.log" >&2
      false
    fi
    mv "$BUILD"/dist/mmcv-*.whl "$WHEEL_DIR/"
    rm -rf "$BUILD"
  else
    echo "using cached wheel $(ls "$WHEEL_DIR"/mmcv-*.whl)"
  fi
  "${PIP[@]}" install -c "$CONSTRAINTS" --no-deps --force-reinstall "$WHEEL_DIR"/mmcv-*.whl
  echo "$KEY" > "$VENV/.mmcv-key"
fi

step 5 "mmengine, mmdet, mmocr (non-editable, for mmocr:: configs) and model deps"
"${PIP[@]}" install -c "$CONSTRAINTS" -r "$ROOT/requirements/runtime.txt"

step 6 "mmocr_ext (editable) and test deps"
"${PIP[@]}" install -c "$CONSTRAINTS" --no-deps -e "$ROOT"
"${PIP[@]}" install -c "$CONSTRAINTS" -r "$ROOT/requirements/tests.txt"

step 7 "import check"
"$PY" -c "import mmcv.ops, mmdet, mmocr, mmocr_ext; print('mmcv', mmcv.__version__, \
'| mmdet', mmdet.__version__, '| mmocr', mmocr.__version__, '| mmocr_ext', mmocr_ext.__version__)"
"$PY" -m mmocr_ext.env
trap - ERR
printf '\nmmocr_ext environment ready: source %s/bin/activate\n' "$VENV"
