# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The error raised for malformed evaluation input."""
from typing import Optional


class EvalInputError(ValueError):
    """Malformed ground truth or prediction input.

    The message always names the offending file and, where it applies, the
    (1-based) line, so that a user can fix the submission. Command-line tools
    turn it into exit code 2.

    Args:
        path (str): The file (or zip member) at fault.
        msg (str): What is wrong.
        line (int, optional): 1-based line number. Defaults to None.
    """

    def __init__(self,
                 path: str,
                 msg: str,
                 line: Optional[int] = None) -> None:
        self.path = path
        self.line = line
        self.msg = msg
        where = path if line is None else f'{path}, line {line}'
        super().__init__(f'{where}: {msg}')
