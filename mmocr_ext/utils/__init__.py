# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
from .cli import add_runner_args, build_runner, load_config

__all__ = ['add_runner_args', 'load_config', 'build_runner']
