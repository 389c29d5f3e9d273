# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Generate a synthetic scene-text split in mmocr 1.x formats (docs/synth.md).

Writes det/spot (``textdet_imgs/``, ``textdet_<split>.json``,
``textspotting_<split>.json``), rec (``textrecog_imgs/``,
``textrecog_<split>.json``) and the pixel-level tasks (``pixel_imgs/``,
``pixel_<split>.json``) under ``--out``, atomically (nothing is left on an
error). The same ``--seed`` gives byte-identical files for any
``--workers``. Example::

    python tools/dataset_converters/generate_synth.py --num 1000 \\
        --out data/synth --tasks det,rec,spot,pixel --seed 0 --workers 2
"""
import argparse
import copy
import os.path as osp
import sys

from mmocr_ext.datasets.synth.generate import generate


def parse_args(argv=None) -> argparse.Namespace:
    """Parse command-line arguments."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--num', type=int, required=True, help='number of images')
    p.add_argument('--out', required=True, help='output data root')
    p.add_argument('--tasks', default='det', help='det,rec,spot,pixel')
    p.add_argument('--seed', type=int, default=0, help='stream seed')
    p.add_argument('--workers', type=int, default=1, help='processes')
    p.add_argument('--split', default='test', help='split name')
    p.add_argument(
        '--renderer-config',
        metavar='CONFIG',
        help='start from the renderer settings of a config whose training '
        'set is a SynthRenderDataset (options below override them)')
    p.add_argument('--height', type=int, help='default 640')
    p.add_argument('--width', type=int, help='default 640')
    p.add_argument(
        '--num-words',
        type=int,
        nargs=2,
        metavar=('MIN', 'MAX'),
        help='words tried per image (default 4 12)')
    p.add_argument(
        '--font-size',
        type=float,
        nargs=2,
        metavar=('MIN', 'MAX'),
        help='font size / shorter image side (default 0.03 0.11)')
    p.add_argument('--font-dir', action='append', help='more fonts')
    p.add_argument(
        '--font-include',
        action='append',
        metavar='PATTERN',
        help='use only fonts whose file name matches (fnmatch, e.g. '
        "'DejaVuSans*.ttf'; repeatable)")
    p.add_argument(
        '--font-exclude',
        action='append',
        metavar='PATTERN',
        help='skip fonts whose file name matches (repeatable)')
    p.add_argument('--bg-dir', action='append', help='text-free images')
    p.add_argument(
        '--bg-ann', action='append', help='textdet json (default: toy set)')
    p.add_argument('--procedural-prob', type=float, help='default 0.4')
    p.add_argument('--lexicon', help='word list file (default: wordfreq)')
    p.add_argument('--img-format', choices=('png', 'jpg'), default='png')
    p.add_argument(
        '--tamper-words',
        type=int,
        help='words replaced in the tampered image (default 1 with pixel)')
    p.add_argument('--overwrite', action='store_true')
    return p.parse_args(argv)


def config_renderer(path: str) -> dict:
    """The renderer settings of ``path``'s training SynthRenderDataset."""
    from mmengine.config import Config  # parsing only: no torch
    if not osp.isfile(path):
        raise FileNotFoundError(f'--renderer-config: no such file: {path}')
    cfg = Config.fromfile(path, import_custom_modules=False)
    dataset = cfg.get('train_dataloader', {}).get('dataset', {})
    if dataset.get('type') != 'SynthRenderDataset':
        raise ValueError(f'--renderer-config {path}: the training set is '
                         f'{dataset.get("type")!r}, not SynthRenderDataset')
    return copy.deepcopy(dataset.get('renderer') or {})


def renderer_cfg(args: argparse.Namespace) -> dict:
    """:func:`build_renderer` settings: the config's, then the options."""
    cfg = (
        config_renderer(args.renderer_config) if args.renderer_config else {})
    for key in ('height', 'width', 'num_words', 'font_size'):
        value = getattr(args, key)
        if value is not None:
            cfg[key] = tuple(value) if isinstance(value, list) else value
    fonts = dict(cfg.get('fonts') or {})
    if args.font_dir:
        fonts['font_dirs'] = args.font_dir
    if args.font_include:
        fonts['include'] = args.font_include
    if args.font_exclude:
        fonts['exclude'] = args.font_exclude
    backgrounds = dict(cfg.get('backgrounds') or {})
    for key, value in (('ann_files', args.bg_ann), ('bg_dirs', args.bg_dir),
                       ('procedural_prob', args.procedural_prob)):
        if value is not None:
            backgrounds[key] = value
    cfg.update(fonts=fonts, backgrounds=backgrounds)
    if args.lexicon:
        cfg['lexicon'] = dict(file=args.lexicon)
    if args.tamper_words is not None:
        cfg['tamper_words'] = args.tamper_words
    return cfg


def main(argv=None) -> int:
    """Generate; print a summary."""
    args = parse_args(argv)
    s = generate(
        args.out,
        args.num,
        args.tasks,
        args.seed,
        args.workers,
        args.split,
        renderer_cfg(args),
        args.img_format,
        args.overwrite,
        progress=True)
    print(f'{s["images"]} images, {s["words"]} words, {s["crops"]} crops '
          f'({",".join(s["tasks"])}) in {s["seconds"]:.1f} s '
          f'({s["images_per_s"]:.2f} images/s, {s["workers"]} workers) '
          f'-> {s["out"]}')
    return 0


def cli(argv=None) -> None:
    """:func:`main`; a user error exits with one ``error:`` line."""
    try:
        sys.exit(main(argv))
    except (ValueError, FileNotFoundError, FileExistsError) as err:
        sys.exit(f'generate_synth: error: {err}')


if __name__ == '__main__':
    cli()
