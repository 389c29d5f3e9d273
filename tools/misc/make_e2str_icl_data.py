# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Make the word-crop sets of E2STR's in-context learning experiment.

A recognizer is trained on words of a TRAIN lexicon rendered in the train
style (fonts ``--train-fonts``) and tested on words of a disjoint TEST
lexicon rendered in a held-out style (fonts ``--test-fonts``), without a
demonstration pool, with a pool of other renderings of the same test words
(``pool_same``) or with a pool of unrelated words (``pool_unrelated``), all
in the held-out style. Five mmocr textrecog sets are written under
``--out``, each loadable as ``dict(type='OCRDataset',
data_root='<out>/<set>', ann_file='textrecog_<set>.json')`` (metainfo
``dataset_type='TextRecogDataset'``), plus
``lexicon/{train,test,unrelated}.txt`` and ``manifest.json``::

    python tools/misc/make_e2str_icl_data.py --out data/e2str_icl --workers 2

Crops come from the synth generator's ``rec`` task
(:func:`mmocr_ext.datasets.synth.generate.generate`: rectified crops, text
and ``char_polygons``). The renderer samples words at random, so a set that
needs given words a given number of times (each test word once, each pool
word ``--pool-per-word`` times) is rendered in rounds, each round's lexicon
being the words still short, and the first crops of each word (in round,
image, word order) are kept; the others are deleted. Everything is built in
``<out>.partial-<pid>`` and renamed to ``<out>`` at the end.
"""
import argparse
import json
import math
import os
import os.path as osp
import shutil
import string
import sys
import time
from collections import Counter
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from mmocr_ext.datasets.synth import FontPool, Lexicon
from mmocr_ext.datasets.synth.generate import generate
from mmocr_ext.datasets.synth.writers import METAINFO, check_output

LOWER = string.ascii_lowercase
# Small scenes of a few words; moderate geometry (the model input is 32x128).
SCENE = dict(
    height=128,
    width=320,
    num_words=(2, 4),
    font_size=(0.17, 0.28),
    rotate_prob=0.3,
    max_angle=12.,
    perspective_prob=0.2,
    perspective_strength=0.12,
    curve_prob=0.15,
    tamper_words=0,
    with_crops=True)
MAX_ROUNDS = 25
MIN_POOL_CROPS = 3000  # smaller rounds render in this process


def parse_args(argv=None) -> argparse.Namespace:
    """Parse command-line arguments."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', default='data/e2str_icl', help='output root')
    p.add_argument('--num-train', type=int, default=20000, help='crops')
    p.add_argument('--num-val', type=int, default=300, help='crops')
    p.add_argument(
        '--num-test',
        type=int,
        default=300,
        help='test words (one crop each); also the number of unrelated words')
    p.add_argument(
        '--pool-per-word',
        type=int,
        default=2,
        help='crops per word in pool_same and pool_unrelated')
    p.add_argument(
        '--train-fonts',
        default='DejaVu*',
        help='comma-separated fnmatch patterns of train-style font files')
    p.add_argument(
        '--test-fonts',
        default='STIX*,cm*',
        help='comma-separated fnmatch patterns of held-out font files')
    p.add_argument('--top-n', type=int, default=30000, help='wordfreq words')
    p.add_argument('--seed', type=int, default=0, help='base seed')
    p.add_argument('--workers', type=int, default=2, help='processes')
    p.add_argument('--img-format', choices=('png', 'jpg'), default='png')
    p.add_argument('--overwrite', action='store_true')
    p.add_argument(
        '--montage', help='also save a PNG of a few crops of each set here')
    return p.parse_args(argv)


def split_lexicon(words: Sequence[str], num_test: int, num_unrelated: int,
                  seed: int) -> Dict[str, List[str]]:
    """Disjoint ``test``, ``unrelated`` and ``train`` word lists.

    A seeded permutation of ``words``: the first ``num_test`` are the test
    words, the next ``num_unrelated`` the unrelated ones, the rest the
    train words (each list keeps the order of ``words``, i.e. frequency).

    Raises:
        ValueError: Fewer than ``num_test + num_unrelated + 1`` words.
    """
    if len(set(words)) != len(words):
        raise ValueError('split_lexicon: words must be unique')
    if num_test + num_unrelated >= len(words):
        raise ValueError(f'only {len(words)} words for {num_test} test and '
                         f'{num_unrelated} unrelated words plus train words')
    order = np.random.default_rng(seed).permutation(len(words))
    rank = {int(k): r for r, k in enumerate(order)}
    parts: Dict[str, List[str]] = dict(test=[], unrelated=[], train=[])
    for k, word in enumerate(words):
        r = rank[k]
        key = ('test' if r < num_test else 'unrelated' if r < num_test +
               num_unrelated else 'train')
        parts[key].append(word)
    return parts


def renderer_cfg(fonts: Sequence[str], words: Sequence[str]) -> dict:
    """Renderer settings: :data:`SCENE`, these fonts, lower-case ``words``."""
    return dict(
        SCENE,
        fonts=dict(include=list(fonts)),
        lexicon=dict(
            words=list(words),
            min_len=1,
            max_len=64,
            charset=LOWER,
            case_probs=(1., 0., 0.),
            number_prob=0.))


class SetBuilder:
    """Renders one set in rounds and keeps the crops it needs.

    Args:
        root (str): The partial output root.
        name (str): Set name (folder ``root/name``, split ``name``).
        fonts (Sequence[str]): Font patterns.
        seed (int): Round ``r`` renders stream ``seed * 1000 + r``.
        args (argparse.Namespace): Workers and image format.
    """

    def __init__(self, root: str, name: str, fonts: Sequence[str], seed: int,
                 args: argparse.Namespace) -> None:
        self.root, self.name, self.fonts = root, name, list(fonts)
        self.seed, self.args = seed, args
        self.folder = osp.join(root, name)
        self.img_dir = osp.join(self.folder, 'textrecog_imgs', name)
        os.makedirs(self.img_dir)
        self.kept: List[Dict[str, Any]] = []
        self.rounds: List[Dict[str, Any]] = []
        self.crops_per_image = 3.0  # updated from each round

    def _round(self, words: Sequence[str], crops: int) -> List[dict]:
        """Render about ``crops`` crops of ``words``; their json entries."""
        r = len(self.rounds)
        if r >= MAX_ROUNDS:
            raise RuntimeError(f'{self.name}: still short after {r} rounds')
        out = osp.join(self.root, '_rounds', f'{self.name}_{r}')
        num = max(2, math.ceil(crops / self.crops_per_image))
        # A worker pool costs seconds to start (each process builds its
        # renderer); small rounds render here, where the caches are warm.
        workers = self.args.workers if crops >= MIN_POOL_CROPS else 1
        s = generate(
            out,
            num,
            'rec',
            self.seed * 1000 + r,
            workers,
            split=self.name,
            renderer_cfg=renderer_cfg(self.fonts, words),
            img_format=self.args.img_format)
        self.crops_per_image = max(0.5, s['crops'] / s['images'])
        self.rounds.append(
            dict(
                seed=s['seed'],
                workers=s['workers'],
                words=len(words),
                images=s['images'],
                crops=s['crops'],
                seconds=s['seconds']))
        with open(osp.join(out, f'textrecog_{self.name}.json')) as f:
            entries = json.load(f)['data_list']
        for e in entries:
            e['_src'] = osp.join(out, e['img_path'])
            e['_round'] = r
        return entries

    def _keep(self, entry: Dict[str, Any]) -> None:
        src = entry.pop('_src')
        name = f'r{entry.pop("_round"):02d}_{osp.basename(src)}'
        shutil.move(src, osp.join(self.img_dir, name))
        entry['img_path'] = f'textrecog_imgs/{self.name}/{name}'
        self.kept.append(entry)

    def by_total(self, words: Sequence[str], total: int) -> None:
        """The first ``total`` crops of random words of ``words``."""
        while len(self.kept) < total:
            need = total - len(self.kept)
            for e in self._round(words, int(need * 1.05) + 8)[:need]:
                self._keep(e)

    def by_word(self, words: Sequence[str], per_word: int) -> None:
        """Exactly ``per_word`` crops of each of ``words``, each from
        another scene (image)."""
        have: Counter = Counter()
        wanted = set(words)
        seen = set()
        while True:
            short = [w for w in words if have[w] < per_word]
            if not short:
                break
            missing = sum(per_word - have[w] for w in short)
            # ~3x the draws needed: most words are done in 1-3 rounds
            for e in self._round(short, 3 * missing + 8):
                text = e['instances'][0]['text']
                # at most one crop of a word per scene: other backgrounds
                scene = e['_src'].rsplit('_', 1)[0]
                if (text in wanted and have[text] < per_word
                        and (text, scene) not in seen):
                    have[text] += 1
                    seen.add((text, scene))
                    self._keep(e)

    def finish(self, allowed: Sequence[str]) -> Dict[str, Any]:
        """Write the json, drop the rounds; the set's manifest entry."""
        allowed = set(allowed)
        bad = [
            e for e in self.kept if e['instances'][0]['text'] not in allowed
        ]
        if bad:
            raise RuntimeError(f'{self.name}: words outside its lexicon: '
                               f'{bad[0]["instances"][0]["text"]!r}')
        for r in range(len(self.rounds)):
            shutil.rmtree(osp.join(self.root, '_rounds', f'{self.name}_{r}'))
        metainfo = METAINFO['rec'][1]
        ann = f'textrecog_{self.name}.json'
        with open(osp.join(self.folder, ann), 'w', encoding='utf-8') as f:
            json.dump(dict(metainfo=metainfo, data_list=self.kept), f)
        texts = Counter(e['instances'][0]['text'] for e in self.kept)
        rendered = sum(r['crops'] for r in self.rounds)
        seconds = sum(r['seconds'] for r in self.rounds)
        return dict(
            data_root=self.name,
            ann_file=ann,
            fonts=self.fonts,
            font_files=[
                osp.basename(p) for p in FontPool(include=self.fonts).fonts
            ],
            crops=len(self.kept),
            distinct_words=len(texts),
            max_per_word=max(texts.values()),
            crops_rendered=rendered,
            render_seconds=round(seconds, 2),
            crops_rendered_per_s=round(rendered / max(seconds, 1e-9), 1),
            rounds=self.rounds)


def montage(out: str, sets: Sequence[str], path: str, n: int = 8) -> None:
    """A grid: one row per set, its first ``n`` crops at 32x128."""
    import cv2
    rows = []
    for name in sets:
        with open(osp.join(out, name, f'textrecog_{name}.json')) as f:
            data = json.load(f)['data_list'][:n]
        tiles = []
        for e in data:
            img = cv2.imread(osp.join(out, name, e['img_path']))
            tile = np.full((48, 128, 3), 255, np.uint8)
            tile[:32] = cv2.resize(
                img, (128, 32), interpolation=cv2.INTER_AREA)
            cv2.putText(tile, e['instances'][0]['text'], (2, 45),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.38, (0, 0, 200), 1)
            tiles.append(np.pad(tile, ((2, 2), (2, 2), (0, 0))))
        label = np.full((52, 110, 3), 255, np.uint8)
        cv2.putText(label, name, (2, 28), cv2.FONT_HERSHEY_SIMPLEX, 0.42,
                    (0, 0, 0), 1)
        rows.append(np.hstack([label] + tiles))
    width = max(r.shape[1] for r in rows)
    rows = [np.pad(r, ((0, 0), (0, width - r.shape[1]), (0, 0))) for r in rows]
    cv2.imwrite(path, np.vstack(rows))


def _check(args: argparse.Namespace) -> None:
    for key in ('num_train', 'num_val', 'num_test', 'pool_per_word', 'workers',
                'top_n'):
        if getattr(args, key) < 1:
            raise ValueError(f'--{key.replace("_", "-")} must be >= 1')


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Build the five sets, the word lists and the manifest."""
    args = parse_args(argv)
    _check(args)
    out = osp.abspath(args.out)
    check_output(out, args.overwrite)
    train_fonts = [p for p in args.train_fonts.split(',') if p]
    test_fonts = [p for p in args.test_fonts.split(',') if p]
    pools = {
        k: FontPool(include=v)
        for k, v in (('train', train_fonts), ('test', test_fonts))
    }
    shared = set(pools['train'].fonts) & set(pools['test'].fonts)
    if shared:
        raise ValueError(f'train and test fonts overlap: {sorted(shared)}')
    start = time.perf_counter()
    lexicon = Lexicon(
        top_n=args.top_n,
        min_len=3,
        max_len=10,
        charset=LOWER,
        case_probs=(1., 0., 0.),
        number_prob=0.)
    words = split_lexicon(lexicon.words, args.num_test, args.num_test,
                          args.seed)
    partial = f'{out}.partial-{os.getpid()}'
    if osp.lexists(partial):
        shutil.rmtree(partial)
    os.makedirs(osp.join(partial, 'lexicon'))
    try:
        for key, lst in words.items():
            with open(osp.join(partial, 'lexicon', f'{key}.txt'), 'w') as f:
                f.write('\n'.join(lst) + '\n')
        plan: List[Tuple[str, List[str], str, Any]] = [
            ('train', train_fonts, 'train', ('total', args.num_train)),
            ('val', train_fonts, 'train', ('total', args.num_val)),
            ('test', test_fonts, 'test', ('word', 1)),
            ('pool_same', test_fonts, 'test', ('word', args.pool_per_word)),
            ('pool_unrelated', test_fonts, 'unrelated', ('word',
                                                         args.pool_per_word)),
        ]
        sets: Dict[str, Any] = {}
        for k, (name, fonts, lex, (mode, count)) in enumerate(plan):
            t0 = time.perf_counter()
            builder = SetBuilder(partial, name, fonts, args.seed * 10 + k,
                                 args)
            if mode == 'total':
                builder.by_total(words[lex], count)
            else:
                builder.by_word(words[lex], count)
            sets[name] = builder.finish(words[lex])
            sets[name].update(
                lexicon=lex, seconds=round(time.perf_counter() - t0, 2))
            print(
                f'{name}: {sets[name]["crops"]} crops, '
                f'{sets[name]["distinct_words"]} words, '
                f'{sets[name]["seconds"]:.1f} s',
                flush=True)
        shutil.rmtree(osp.join(partial, '_rounds'), ignore_errors=True)
        seconds = time.perf_counter() - start
        rendered = sum(s['crops_rendered'] for s in sets.values())
        manifest = dict(
            command='python tools/misc/make_e2str_icl_data.py ' +
            ' '.join(sys.argv[1:] if argv is None else argv),
            seed=args.seed,
            lexicon=dict(
                source=f'wordfreq top_n_list("en", {args.top_n})',
                filter='lower-case a-z only, length 3-10, no numbers',
                split=f'np.random.default_rng({args.seed}).permutation',
                sizes={
                    k: len(v)
                    for k, v in words.items()
                }),
            renderer=dict(SCENE),
            sets=sets,
            workers=args.workers,
            seconds=round(seconds, 1),
            crops_rendered=rendered,
            crops_rendered_per_s=round(rendered / seconds, 1))
        with open(osp.join(partial, 'manifest.json'), 'w') as f:
            json.dump(manifest, f, indent=1)
        _publish(partial, out, args.overwrite)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    print(f'{rendered} crops rendered in {seconds:.1f} s '
          f'({rendered / seconds:.1f} crops/s, {args.workers} workers) '
          f'-> {out}')
    if args.montage:
        montage(out, [n for n, *_ in plan], args.montage)
        print(f'montage -> {args.montage}')
    return 0


def _publish(partial: str, out: str, overwrite: bool) -> None:
    """Rename ``partial`` to ``out`` (replacing it if ``overwrite``)."""
    check_output(out, overwrite)
    old = None
    if osp.lexists(out):
        old = f'{out}.old-{os.getpid()}'
        os.rename(out, old)
    os.rename(partial, out)
    if old is not None:
        shutil.rmtree(old)


def cli(argv=None) -> None:
    """:func:`main`; a user error exits with one ``error:`` line."""
    try:
        sys.exit(main(argv))
    except (ValueError, FileNotFoundError, FileExistsError) as err:
        sys.exit(f'make_e2str_icl_data: error: {err}')


if __name__ == '__main__':
    cli()
