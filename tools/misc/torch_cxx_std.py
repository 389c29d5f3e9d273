# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Print the C++ standard flag value the installed torch headers need.

mmcv 2.0.1's setup.py hard-codes ``-std=c++14``. torch's own extension
builder uses ``-std=c++17`` up to torch 2.9 and ``-std=c++20`` from the
releases whose headers use C++20 features (designated initialisers,
bit-field default member initialisers, ``<concepts>``). We read the flag
torch itself would pass to an extension build so the answer follows the
installed torch instead of a version table.
"""
import re

from torch.utils import cpp_extension


def main() -> None:
    """Print ``c++17`` or ``c++20`` (whatever torch's builder uses)."""
    src = open(cpp_extension.__file__, encoding='utf-8').read()
    found = re.findall(r'-std=(c\+\+\d\d)', src)
    print(max(found, key=lambda s: int(s[3:])) if found else 'c++17')


if __name__ == '__main__':
    main()
