# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/build_icl_pool.py``: E2STR's in-context pool computed once."""
import importlib.util
import json
import os
import os.path as osp

import pytest

from conftest import REPO, run

E2STR_TOY = osp.join(REPO, 'configs', 'textrecog', 'e2str',
                     'e2str_vit-tiny_opt-tiny_toy.py')
WORD_CROPS = osp.join(REPO, 'data', 'word_crops')
SCRIPT = osp.join(REPO, 'tools', 'build_icl_pool.py')


def load_script():
    """Import the script as a module (its ``main`` takes an argv list)."""
    spec = importlib.util.spec_from_file_location('build_icl_pool', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def save_random_e2str(path: str, seed: int) -> str:
    """The toy E2STR with random weights, saved as ``{'state_dict': ...}``.

    Args:
        path (str): Output checkpoint.
        seed (int): Torch seed (another seed: other weights).

    Returns:
        str: ``path``.
    """
    import torch
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmocr.registry import MODELS
    torch.manual_seed(seed)
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(Config.fromfile(E2STR_TOY).model)
    torch.save({'state_dict': model.state_dict()}, path)
    return path


def pool_json(folder, count: int = 3, bad: bool = True) -> str:
    """An official-format pool of ``count`` bundled crops (+ a garbage one).

    Returns:
        str: The annotation file, in ``folder``.
    """
    with open(osp.join(WORD_CROPS, 'textrecog_test.json')) as f:
        data_list = json.load(f)['data_list'][:count]
    items = [
        dict(
            img_path=osp.join(WORD_CROPS, info['img_path']),
            gt_text=info['instances'][0]['text']) for info in data_list
    ]
    if bad:
        (folder / 'garbage.jpg').write_bytes(b'\x00not an image\xff' * 4)
        items.append(dict(img_path='garbage.jpg', gt_text='garbage'))
    path = folder / 'pool.json'
    path.write_text(json.dumps(items))
    return str(path)


@pytest.fixture(scope='module')
def e2str_ckpts(tmp_path_factory):
    """Two random toy E2STR checkpoints (different weights)."""
    tmp = tmp_path_factory.mktemp('e2str_ckpt')
    return [
        save_random_e2str(str(tmp / f'random{seed}.pth'), seed)
        for seed in (0, 1)
    ]


def build(ckpt: str, ann: str, *extra: str, check: bool = True):
    """Run the tool as a command (a fresh process)."""
    return run(
        ['python', 'tools/build_icl_pool.py', E2STR_TOY, ckpt, ann, *extra],
        check=check,
        timeout=300)


def build_here(capsys, ckpt: str, ann: str, *extra: str) -> str:
    """Run the tool's ``main`` in this process (faster); its output."""
    load_script().main([E2STR_TOY, ckpt, ann, *extra])
    return capsys.readouterr().out


def pool_file(output: str) -> str:
    """The path the tool printed last (``pool file: PATH``)."""
    lines = [
        line for line in output.splitlines() if line.startswith('pool file: ')
    ]
    assert lines, output[-3000:]
    return lines[-1][len('pool file: '):]


def test_pool_built_once_cached_by_weights(e2str_ckpts, tmp_path, capsys):
    from mmocr_ext.models.textrecog.e2str.icl_pool import InContextPool
    ann = pool_json(tmp_path)
    garbage = str(tmp_path / 'garbage.jpg')
    out = build(e2str_ckpts[0], ann).stdout
    path = pool_file(out)
    # The default output is the cache file of the annotation file.
    assert osp.dirname(path) == str(tmp_path)
    assert osp.basename(path).startswith('pool.icl_pool.')
    assert f'pool: 3 crops from {ann}, 1 skipped' in out
    assert f'skipped: {garbage}' in out
    pool = InContextPool.load(path)
    with open(ann) as f:
        texts = [item['gt_text'] for item in json.load(f)][:3]
    assert len(pool) == 3 and pool.texts == texts
    assert pool.skipped == [garbage]
    assert pool.feats.shape == (3, 64) and pool.images.shape[0] == 3

    # Same weights: reused, not recomputed.
    mtime = os.stat(path).st_mtime_ns
    again = build_here(capsys, e2str_ckpts[0], ann)
    assert pool_file(again) == path and 'up to date, reused' in again
    assert os.stat(path).st_mtime_ns == mtime

    # New weights: another cache file, the first one kept.
    other = pool_file(build_here(capsys, e2str_ckpts[1], ann))
    assert other != path and osp.isfile(other) and osp.isfile(path)
    assert InContextPool.load(other).key != pool.key

    # --out: the given file (same features).
    explicit = str(tmp_path / 'mine' / 'pool.pth')
    assert pool_file(
        build_here(capsys, e2str_ckpts[0], ann, '--out', explicit)) == explicit
    mine = InContextPool.load(explicit)
    assert mine.key == pool.key and mine.feats.allclose(pool.feats)


def test_bad_inputs_one_line_exit_2(e2str_ckpts, tmp_path, capsys):
    tool = load_script()
    empty = tmp_path / 'empty.json'
    empty.write_text('[]')
    broken = tmp_path / 'broken.json'
    broken.write_text('{"data_list": [')
    folder = tmp_path / 'bad'
    folder.mkdir()
    unreadable = pool_json(folder, count=0, bad=True)  # no readable crop
    for ann, ckpt, message in (
        (str(empty), e2str_ckpts[0], 'the in-context pool is empty'),
        (str(broken), e2str_ckpts[0], 'not valid JSON'),
        (str(tmp_path / 'no.json'), e2str_ckpts[0], 'no.json does not exist'),
        (str(empty), str(tmp_path / 'no.pth'), 'no.pth does not exist'),
        (unreadable, e2str_ckpts[0], 'no readable crop'),
    ):
        with pytest.raises(SystemExit) as exc:
            tool.main([E2STR_TOY, ckpt, ann])
        assert exc.value.code == 2
        err = capsys.readouterr().err.strip()
        assert err.count('\n') == 0 and err.startswith('error: '), err
        assert message in err, err
    assert not [n for n in os.listdir(folder) if n.endswith('.pth')]
    # As a command: the same one line, no traceback.
    proc = build(e2str_ckpts[0], str(empty), check=False)
    assert proc.returncode == 2 and 'Traceback' not in proc.stdout
    assert proc.stdout.strip().splitlines()[-1].startswith(f'error: {empty}: ')
