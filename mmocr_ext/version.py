# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
__version__ = '0.1.0'
