# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
from .rng_state_hook import RNGStateHook, get_rng_states, set_rng_states

__all__ = ['RNGStateHook', 'get_rng_states', 'set_rng_states']
