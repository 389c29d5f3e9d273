# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""tools/misc/learning_summary.py: curve + test metrics -> JSON + figure."""
import json
import os
import os.path as osp
import subprocess
import sys

from conftest import REPO

TOOL = osp.join(REPO, 'tools', 'misc', 'learning_summary.py')


def _write(path, lines):
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write('\n'.join(json.dumps(x) for x in lines) + '\n')


def test_summary_reads_mmengine_logs(tmp_path):
    run = tmp_path / 'run'
    # An older run in the same work_dir is ignored: the newest counts.
    _write(
        str(run / '20260101_000000' / 'vis_data' / 'scalars.json'),
        [dict(loss=99., step=1)])
    _write(
        str(run / '20261130_010000' / 'vis_data' / 'scalars.json'), [
            dict(lr=1e-3, loss=9.5, step=10),
            dict(lr=1e-3, loss=4.25, step=20),
            {
                'icdar/hmean': 0.125,
                'icdar/precision': 0.5,
                'step': 1
            },
            dict(lr=1e-3, loss=3.0, step=30),
            {
                'icdar/hmean': 0.625,
                'icdar/precision': 0.75,
                'step': 2
            },
        ])
    metrics = {'icdar/hmean': 0.5, 'icdar/precision': 0.6, 'icdar/recall': 0.4}
    _write(
        str(run / 'test_synth' / '20261130_020000' / '20261130_020000.json'),
        [metrics])
    _write(
        str(run / 'test_real' / '20261130_030000' / '20261130_030000.json'),
        [dict(metrics, **{'icdar/hmean': 0.})])
    proc = subprocess.run([
        sys.executable, TOOL,
        str(run), '--test', f'synthetic={run / "test_synth"}', '--test',
        f'real={run / "test_real"}'
    ],
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    assert 'synthetic: icdar/hmean = 0.5000' in proc.stdout
    summary = json.loads((run / 'summary.json').read_text())
    assert [r['loss'] for r in summary['train_curve']] == [9.5, 4.25, 3.0]
    assert [r['icdar/hmean'] for r in summary['val_curve']] == [0.125, 0.625]
    # Validations placed at the last iteration logged before them.
    assert [r['iteration'] for r in summary['val_curve']] == [20, 30]
    assert summary['test']['synthetic']['icdar/hmean'] == 0.5
    assert summary['test']['real']['icdar/hmean'] == 0.
    assert summary['iterations'] == 30
    png = (run / 'learning_curve.png').read_bytes()
    assert png[:8] == b'\x89PNG\r\n\x1a\n'


def test_missing_test_run_is_a_clear_error(tmp_path):
    run = tmp_path / 'run'
    _write(
        str(run / '1' / 'vis_data' / 'scalars.json'), [dict(loss=1., step=1)])
    proc = subprocess.run(
        [sys.executable, TOOL,
         str(run), '--test', f'x={tmp_path / "none"}'],
        capture_output=True,
        text=True)
    assert proc.returncode == 1
    assert 'learning_summary: error: nothing matches' in proc.stderr
    assert str(tmp_path / 'none') in proc.stderr
    assert not (run / 'summary.json').exists()
