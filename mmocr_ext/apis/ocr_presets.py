# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Named model choices of the composed OCR pipeline (``tools/ocr.py``).

A preset is a config of this repository plus the weight files it expects.
Weights are looked for, in order: the file given on the command line
(``--det-weights`` ...), ``<weights_dir>/<name>`` for each expected file
name (``weights_dir`` defaults to ``checkpoints/``: put converted official
checkpoints there under these names), then the checkpoints our CPU training
scripts leave in ``work_dirs/`` (newest first). Nothing found: the model
runs with random weights and every output says so.

Official-size presets (``tcm``, ``fasttcm``, ``i3cl``, ``e2str``,
``instructocr``, ``upocr``) expect converted official checkpoints (see
each model's doc for its converter); ``*-synth`` presets are the small
models trained on CPU by this repository's learning checks; ``*-toy``
presets are the tiny CI models (random weights).
"""
import glob
import os.path as osp
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

#: Repository root (configs are resolved against it, then the cwd).
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

#: Pipeline stages a preset can fill.
STAGES = ('det', 'rec', 'spotter', 'erase')


@dataclass(frozen=True)
class OCRPreset:
    """One named model choice.

    Attributes:
        stage (str): One of :data:`STAGES`.
        config (str): Config path relative to the repository root.
        weights (tuple[str]): Expected weight file names in ``weights_dir``.
        trained (tuple[str]): Glob patterns (relative to the repository
            root) of checkpoints our training scripts write; newest first.
        note (str): One line for ``--list``.
    """
    stage: str
    config: str
    weights: Tuple[str, ...] = ()
    trained: Tuple[str, ...] = field(default_factory=tuple)
    note: str = ''


def _p(stage, config, weights=(), trained=(), note=''):
    return OCRPreset(stage, config, tuple(weights), tuple(trained), note)


_DET, _REC = 'configs/textdet', 'configs/textrecog'
_SPOT, _PIX = 'configs/textspot/instructocr', 'configs/pixel/upocr'

#: name -> preset. Names are unique across stages.
PRESETS: Dict[str, OCRPreset] = {
    'tcm':
    _p('det',
       f'{_DET}/tcm/tcm_clip-r50_fpnc_1200e_icdar2015.py',
       ['tcm_clip-r50_fpnc_1200e_icdar2015.pth'],
       note='TCM (CLIP RN50 + DBNet), ICDAR2015 recipe'),
    'fasttcm':
    _p('det',
       f'{_DET}/tcm/fasttcm_clip-r50_fpnc_1200e_icdar2015.py',
       ['fasttcm_clip-r50_fpnc_1200e_icdar2015.pth'],
       note='FastTCM, ICDAR2015 recipe'),
    'i3cl':
    _p('det',
       f'{_DET}/i3cl/i3cl_resnet50_fpn_40e_totaltext.py',
       ['i3cl_resnet50_fpn_40e_totaltext.pth'],
       note='I3CL (Mask R-CNN, curved text), Total-Text recipe'),
    'tcm-synth':
    _p('det',
       f'{_DET}/tcm/tcm_clip-r50-slim_fpnc_synth.py',
       ['tcm_clip-r50-slim_fpnc_synth.pth'], [
           'work_dirs/demo/tcm_clip-r50-slim_fpnc_synth/best_*.pth',
           'work_dirs/demo/tcm_clip-r50-slim_fpnc_synth/epoch_*.pth'
       ],
       note='slim TCM trained on synthetic text by tools/run_demo.sh'),
    'i3cl-synth':
    _p('det',
       f'{_DET}/i3cl/i3cl_resnet50-slim_fpn_synth.py',
       ['i3cl_resnet50-slim_fpn_synth.pth'],
       ['work_dirs/i3cl_learn*/epoch_*.pth'],
       note='slim I3CL of the I3CL learning check'),
    'tcm-toy':
    _p('det',
       f'{_DET}/tcm/tcm_clip-r50-slim_fpnc_toy.py',
       note='tiny TCM (tests)'),
    'i3cl-toy':
    _p('det',
       f'{_DET}/i3cl/i3cl_resnet50-slim_fpn_toy.py',
       note='tiny I3CL (tests)'),
    'e2str':
    _p('rec',
       f'{_REC}/e2str/e2str_vit-b4_opt-125m_icl_5e_union14m.py',
       ['e2str_vit-b4_opt-125m_icl_5e_union14m.pth'],
       note='E2STR (ViT-B/4 + OPT-125M), in-context model'),
    'e2str-synth':
    _p('rec',
       f'{_REC}/e2str/e2str_vit-small_opt-small_synth-words.py',
       ['e2str_vit-small_opt-small_synth-words.pth'],
       ['work_dirs/ocr_learning/e2str/iter_*.pth'],
       note='small E2STR trained on synthetic word crops'),
    'crnn-synth':
    _p('rec',
       f'{_REC}/crnn/crnn_mini-vgg_synth-words.py',
       ['crnn_mini-vgg_synth-words.pth'],
       ['work_dirs/ocr_learning/crnn/iter_*.pth'],
       note="mmocr's CRNN trained on synthetic word crops (control)"),
    'e2str-toy':
    _p('rec',
       f'{_REC}/e2str/e2str_vit-tiny_opt-tiny_toy.py',
       note='tiny E2STR (tests)'),
    'instructocr':
    _p('spotter',
       f'{_SPOT}/instructocr_clip-r50_140e_totaltext.py',
       ['instructocr_clip-r50_140e_totaltext.pth'],
       note='InstructOCR, Total-Text recipe (needs bert-base-uncased)'),
    'instructocr-synth':
    _p('spotter',
       f'{_SPOT}/instructocr_clip-r50-small_synth.py',
       ['instructocr_clip-r50-small_synth.pth'],
       ['work_dirs/instructocr_learning/iter_*.pth'],
       note='small InstructOCR of its learning check'),
    'instructocr-toy':
    _p('spotter',
       f'{_SPOT}/instructocr_clip-r50-tiny_toy.py',
       note='tiny InstructOCR (tests)'),
    'upocr':
    _p('erase',
       f'{_PIX}/upocr_swinv2-s_80k_scut-enstext.py',
       ['upocr_swinv2-s_80k_joint.pth'],
       note='UPOCR (SwinV2-S), text removal'),
    'upocr-synth':
    _p('erase',
       f'{_PIX}/upocr_swinv2-small_synth.py', ['upocr_swinv2-small_synth.pth'],
       ['work_dirs/upocr_learning/iter_*.pth'],
       note='small UPOCR of its learning check'),
    'upocr-toy':
    _p('erase', f'{_PIX}/upocr_swinv2-tiny_toy.py', note='tiny UPOCR (tests)'),
}


def presets_of(stage: str) -> List[str]:
    """Preset names of ``stage`` (in :data:`PRESETS` order)."""
    return [name for name, p in PRESETS.items() if p.stage == stage]


def _config_path(config: str) -> str:
    for root in (REPO_ROOT, '.'):
        path = osp.join(root, config)
        if osp.isfile(path):
            return path
    raise FileNotFoundError(
        f'config {config} not found under {REPO_ROOT} (presets need the '
        'repository checkout, not only the installed package)')


def _newest(patterns: Tuple[str, ...]) -> Optional[str]:
    """The newest file matching the first pattern that matches anything."""
    for pattern in patterns:
        hits = glob.glob(osp.join(REPO_ROOT, pattern))
        if hits:
            return max(hits, key=osp.getmtime)
    return None


def find_weights(preset: OCRPreset,
                 weights_dir: Optional[str] = 'checkpoints') -> Optional[str]:
    """The weight file a preset would use, or None (random weights).

    Args:
        preset (OCRPreset): The preset.
        weights_dir (str, optional): Folder of expected weight files
            (relative paths: the cwd, then the repository root).

    Returns:
        str or None: A checkpoint path.
    """
    if weights_dir:
        for root in ('.', REPO_ROOT):
            for name in preset.weights:
                path = osp.join(root, weights_dir, name)
                if osp.isfile(path):
                    return path
    return _newest(preset.trained)


def resolve(
    stage: str,
    choice: str,
    weights: Optional[str] = None,
    weights_dir: Optional[str] = 'checkpoints'
) -> Tuple[str, Optional[str], str]:
    """Config, weights and display name of a stage choice.

    Args:
        stage (str): One of :data:`STAGES`.
        choice (str): A preset name of that stage, or a config file.
        weights (str, optional): Explicit checkpoint (wins over the
            preset's files).
        weights_dir (str, optional): See :func:`find_weights`.

    Returns:
        tuple[str, str | None, str]: Config path, checkpoint (None: random
        weights) and the name shown in outputs.

    Raises:
        ValueError: ``choice`` is a preset of another stage or neither a
            preset nor a file.
        FileNotFoundError: ``weights`` does not exist.
    """
    if weights is not None and not osp.isfile(weights):
        raise FileNotFoundError(f'--{stage}-weights {weights} not found')
    preset = PRESETS.get(choice)
    if preset is not None:
        if preset.stage != stage:
            raise ValueError(f'{choice} is a {preset.stage} preset, not a '
                             f'{stage} one ({stage} presets: '
                             f'{", ".join(presets_of(stage))})')
        return (_config_path(preset.config), weights
                or find_weights(preset, weights_dir), choice)
    if osp.isfile(choice):
        return choice, weights, osp.splitext(osp.basename(choice))[0]
    raise ValueError(f'--{stage} {choice}: neither a preset '
                     f'({", ".join(presets_of(stage))}) nor a config file')


def preset_table(weights_dir: Optional[str] = 'checkpoints') -> str:
    """The ``--list`` text: every preset, its config and weights found."""
    lines = []
    for stage in STAGES:
        lines.append(f'{stage}:')
        for name in presets_of(stage):
            preset = PRESETS[name]
            found = find_weights(preset, weights_dir)
            expected = ', '.join(
                [osp.join(weights_dir or '.', w)
                 for w in preset.weights] + list(preset.trained))
            state = (f'weights: {osp.relpath(found)}'
                     if found else 'weights: none found -> RANDOM weights')
            lines.append(f'  {name:18s} {preset.note}')
            lines.append(f'  {"":18s} config:   {preset.config}')
            lines.append(f'  {"":18s} expects:  {expected or "-"}')
            lines.append(f'  {"":18s} {state}')
    return '\n'.join(lines)
