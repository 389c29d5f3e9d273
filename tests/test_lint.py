# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The lint hooks of ``.pre-commit-config.yaml``, run on the whole tree.

Same tools, versions and settings as ``pre-commit run --all-files``, in
check-only mode (the hooks rewrite files; a test must not).
"""
import os.path as osp
import re
import subprocess
import sys
from importlib.metadata import version

import pytest
import yaml

from conftest import REPO, run

HOOKS = {
    hook['id']: hook
    for repo in yaml.safe_load(
        open(osp.join(REPO, '.pre-commit-config.yaml')))['repos']
    for hook in repo['hooks']
}
# hook id -> command-line switches that make the hook report instead of fix
CHECK_ONLY = {
    'flake8': [],
    'isort': ['--check-only', '--diff'],
    'yapf': ['--diff'],
}


def _pins(path: str) -> dict:
    """``name -> version`` of the ``name==version`` lines of a file."""
    pins = {}
    with open(path) as f:
        for line in f:
            m = re.match(r'\s*([A-Za-z0-9_.-]+)==([^\s#]+)', line)
            if m:
                pins[m.group(1).lower()] = m.group(2)
    return pins


def _python_files() -> list:
    """Tracked and new (not ignored) ``*.py`` files that exist."""
    out = subprocess.run([
        'git', 'ls-files', '--cached', '--others', '--exclude-standard', '--',
        '*.py'
    ],
                         cwd=REPO,
                         check=True,
                         stdout=subprocess.PIPE,
                         text=True).stdout
    files = sorted(
        {f
         for f in out.splitlines() if osp.isfile(osp.join(REPO, f))})
    assert len(files) > 50, files
    return files


def test_hooks_are_the_pinned_installed_tools():
    assert sorted(HOOKS) == sorted(CHECK_ONLY)
    constraints = _pins(osp.join(REPO, 'requirements', 'constraints.txt'))
    for name, hook in HOOKS.items():
        assert hook['entry'] == name
        (dep, ) = hook['additional_dependencies']
        pkg, pinned = dep.split('==')
        assert constraints[pkg] == pinned, (name, constraints.get(pkg))
        assert version(pkg) == pinned, f'{pkg} {version(pkg)} installed'


@pytest.mark.parametrize('hook', sorted(CHECK_ONLY))
def test_tree_is_clean(hook):
    args = [a for a in HOOKS[hook].get('args', []) if a != '--in-place']
    proc = run([
        sys.executable, '-m', hook, *args, *CHECK_ONLY[hook], *_python_files()
    ],
               check=False,
               timeout=600)
    assert proc.returncode == 0, (
        f'{hook} finds problems (fix with `pre-commit run --all-files`):\n'
        f'{proc.stdout[-8000:]}')
