# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Convert an official UPOCR checkpoint for mmocr_ext.

    python tools/model_converters/upocr_official_to_mmocr_ext.py \\
        upocr.pth upocr_mmocr_ext.pth \\
        [--config configs/pixel/upocr/_base_upocr_swinv2-s.py] \\
        [--task-list text_removal tamper_detection text_segmentation]

The official file is ``{'model', 'epoch', 'args', ...}`` with ``args`` a
pickled ``argparse.Namespace``; it is read with ``weights_only=True``
(mmocr_ext's allow-list admits the Namespace and nothing else), never by
switching the safety off. A bare state dict, or one whose keys all start
with ``module.`` (DDP), is accepted too.

Our modules keep the official names (``encoder.backbone.*``,
``decoder.*``, ``proj.*``, ``task_prompt.task_embedding.weight``), so the
weights are copied unchanged, except:

* ``vgg16.*`` (the frozen loss network that self-trained official
  checkpoints carry, GitHub issue #4) is dropped: our VGG-16 lives outside
  the model's state dict and loads from torchvision's file;
* relative-position buffers (``relative_coords_table``,
  ``relative_position_index``) our model does not save are compared with
  the ones it computes and dropped when equal; a difference (a checkpoint
  trained with other windows) fails the conversion;
* the task prompt rows are reordered from the checkpoint's task order to
  the config's ``task_list``. The official order is the order of the
  training command's ``--data_cfg_paths``: read from the Namespace when it
  is there (names containing ``scut``/``ens`` -> text_removal,
  ``tamper`` -> tamper_detection, ``textseg`` -> text_segmentation),
  else ``--task-list``, else the README command's order.

The result is checked against the model of ``--config``: a key the model
lacks, a key it needs that the checkpoint lacks or a shape mismatch fails
the conversion (exit 1, nothing written, every such key named). A file that
is not a UPOCR checkpoint is refused (exit 2). The output
``{'state_dict', 'meta'}`` (``meta.task_list``, ``meta.upocr_official``,
``meta.source_epoch``) is written atomically.
"""
import argparse
import os.path as osp
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import torch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEFAULT_CONFIG = osp.join(REPO, 'configs', 'pixel', 'upocr',
                          '_base_upocr_swinv2-s.py')
#: The README training command's order (prompt rows 0, 1, 2).
OFFICIAL_TASK_LIST = ('text_removal', 'tamper_detection', 'text_segmentation')
REQUIRED_OFFICIAL = ('encoder.backbone.patch_embed.proj.weight',
                     'decoder.output_conv.weight', 'proj.weight',
                     'task_prompt.task_embedding.weight')
PROMPT_KEY = 'task_prompt.task_embedding.weight'
BUFFER_NAMES = ('relative_coords_table', 'relative_position_index')
#: Substrings of an official data-config path -> our task name.
TASK_HINTS = (('tamper', 'tamper_detection'), ('textseg', 'text_segmentation'),
              ('scut', 'text_removal'), ('ens', 'text_removal'),
              ('removal', 'text_removal'), ('erase', 'text_removal'))


def task_list_from_args(args: object) -> Optional[List[str]]:
    """The prompt order of an official run, from its pickled arguments.

    Args:
        args: The checkpoint's ``args`` (an ``argparse.Namespace``) or None.

    Returns:
        list[str] | None: Task names in prompt order, or None when the
        arguments do not say (no ``data_cfg_paths``, or a path no hint
        names).
    """
    paths = getattr(args, 'data_cfg_paths', None)
    if not paths:
        return None
    tasks = []
    for path in paths:
        name = osp.basename(str(path)).lower()
        task = next((t for hint, t in TASK_HINTS if hint in name), None)
        if task is None:
            return None
        tasks.append(task)
    return tasks


def official_state_dict(
        ckpt: Dict) -> Tuple[Dict[str, torch.Tensor], List[str]]:
    """The official weights without a DDP prefix and without ``vgg16.*``,
    and what was done.

    Raises:
        ValueError: If it is not a UPOCR checkpoint.
    """
    from mmocr_ext.models.common.checkpoint_keys import check_required_keys
    report = []
    state = ckpt['model'] if isinstance(ckpt.get('model'), dict) else ckpt
    if state and all(k.startswith('module.') for k in state):
        state = {k[len('module.'):]: v for k, v in state.items()}
        report.append("stripped: prefix 'module.' (DDP)")
    check_required_keys(state, REQUIRED_OFFICIAL,
                        'an official UPOCR checkpoint')
    bad = [k for k, v in state.items() if not isinstance(v, torch.Tensor)]
    if bad:
        raise ValueError(f'non-tensor entries in the weights: {bad}')
    vgg = [k for k in state if k.startswith('vgg16.')]
    if vgg:
        report.append(f'dropped: {len(vgg)} vgg16.* tensors (frozen loss '
                      'network; ours loads from torchvision\'s VGG-16 file)')
    return {k: v for k, v in state.items() if k not in vgg}, report


def reorder_prompts(state: Dict[str, torch.Tensor], src: Sequence[str],
                    dst: Sequence[str]) -> Dict[str, torch.Tensor]:
    """Reorder the prompt rows from task order ``src`` to ``dst``.

    Raises:
        ValueError: If the orders are not the same set of tasks or do not
            match the number of rows.
    """
    rows = state[PROMPT_KEY]
    if sorted(src) != sorted(dst) or len(src) != rows.shape[0]:
        raise ValueError(
            f'task lists {list(src)} (checkpoint, {rows.shape[0]} prompt '
            f'rows) and {list(dst)} (config) do not match')
    out = dict(state)
    out[PROMPT_KEY] = rows[[list(src).index(t) for t in dst]].clone()
    return out


def drop_recomputed_buffers(state: Dict[str, torch.Tensor],
                            model: torch.nn.Module) -> List[str]:
    """Drop relative-position buffers the model does not save, after
    checking them against the model's. Returns the report lines.

    Raises:
        ValueError: Naming the buffers that differ from the model's.
    """
    saved = set(model.state_dict())
    buffers = dict(model.named_buffers())
    dropped, differ = 0, []
    for key in [k for k in state if k.rsplit('.', 1)[-1] in BUFFER_NAMES]:
        if key in saved:
            continue
        mine = buffers.get(key)
        if mine is None or mine.shape != state[key].shape or not torch.equal(
                mine.to(state[key].dtype), state[key]):
            differ.append(key)
        else:
            del state[key]
            dropped += 1
    if differ:
        raise ValueError(
            f'{len(differ)} relative-position buffers differ from the ones '
            f'the config computes (other window sizes?): {differ[:4]} ...')
    return [
        f'dropped: {dropped} relative-position buffers (equal to the '
        'ones the model computes)'
    ] if dropped else []


def build_model(config: str) -> torch.nn.Module:
    """Build the model of a UPOCR config (no weight files needed)."""
    from mmengine.config import Config
    from mmocr.registry import MODELS

    from mmocr_ext import register_all_modules
    register_all_modules(init_default_scope=True)
    return MODELS.build(Config.fromfile(config).model)


def convert(
    ckpt: Dict,
    model: torch.nn.Module,
    task_list: Optional[Sequence[str]] = None
) -> Tuple[Dict[str, torch.Tensor], List[str], List[str]]:
    """Convert an official checkpoint for ``model``.

    Args:
        ckpt (dict): The official file or its ``model`` state dict.
        model (nn.Module): A ``UPOCR`` built from the target config.
        task_list (Sequence[str], optional): The checkpoint's prompt order;
            by default read from its ``args``, else the official order.

    Returns:
        tuple: (state dict, report lines, the checkpoint's task order).
            The state dict may still mismatch ``model``: check it with
            :func:`mismatches`.
    """
    state, report = official_state_dict(ckpt)
    src = list(
        task_list or task_list_from_args(ckpt.get('args'))
        or OFFICIAL_TASK_LIST)
    report.append(f'checkpoint task order: {src}')
    dst = list(model.task_list)
    if src != dst:
        state = reorder_prompts(state, src, dst)
        report.append(f'prompt rows reordered to the config\'s {dst}')
    report += drop_recomputed_buffers(state, model)
    return state, report, src


def mismatches(state: Dict[str, torch.Tensor],
               model: torch.nn.Module) -> List[str]:
    """Missing, unexpected and mis-shaped keys (empty: strict load OK)."""
    from mmocr_ext.models.common.checkpoint_keys import load_mismatches
    return load_mismatches(state, model.state_dict())


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='official UPOCR checkpoint (.pth)')
    parser.add_argument('dst', help='output checkpoint for mmocr_ext')
    parser.add_argument(
        '--config',
        default=DEFAULT_CONFIG,
        help='check the keys and shapes against this model config '
        '(default: the released SwinV2-S sizes)')
    parser.add_argument(
        '--task-list',
        nargs='+',
        default=None,
        help='the checkpoint\'s prompt order when its args do not say '
        f'(default: {" ".join(OFFICIAL_TASK_LIST)})')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    """Convert, check, save. Returns the exit status."""
    args = parse_args(argv)
    from mmocr_ext.compat import load_checkpoint_safely
    from mmocr_ext.compat.atomic_save import save_converted_checkpoint

    ckpt = load_checkpoint_safely(args.src, map_location='cpu')
    if not isinstance(ckpt, dict):
        print(f'{args.src}: not a checkpoint dict', file=sys.stderr)
        return 2
    try:
        official_state_dict(ckpt)
    except ValueError as err:
        print(f'{args.src}: {err}', file=sys.stderr)
        return 2
    model = build_model(args.config)
    try:
        state, report, src = convert(ckpt, model, args.task_list)
    except ValueError as err:
        print(f'{args.src}: {err}', file=sys.stderr)
        return 1
    problems = mismatches(state, model)
    if problems:
        print(
            f'{args.src}: does not load into {args.config} '
            f'({len(problems)} problems):\n' + '\n'.join(problems),
            file=sys.stderr)
        return 1
    model.load_state_dict(state, strict=True)
    print('\n'.join(report))
    meta = dict(
        converter='upocr_official_to_mmocr_ext',
        task_list=list(model.task_list),
        source_task_list=src,
        upocr_official=True)
    if isinstance(ckpt.get('epoch'), int):
        meta['source_epoch'] = ckpt['epoch']
    save_converted_checkpoint(state, args.dst, args.src, ckpt, **meta)
    print(f'wrote {args.dst}: {len(state)} tensors')
    return 0


if __name__ == '__main__':
    sys.exit(main())
