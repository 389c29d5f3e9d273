# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Helpers shared by the ``tools/benchmark_*.py`` scripts."""
import resource
import time
from typing import Callable, Dict, List


def rss_mib() -> Dict[str, float]:
    """Current RSS (``/proc/self/status``; None where there is none) and
    peak RSS (``ru_maxrss``) of this process, in MiB."""
    current = None
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    current = int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return dict(rss_mib=current, peak_rss_mib=peak)


def timed(fns: Dict[str, Callable[[], object]], repeats: int,
          warmup: int) -> Dict[str, List[float]]:
    """Wall times (s) of ``repeats`` calls of every function, interleaved
    round-robin (rotating the order) after ``warmup`` untimed calls each."""
    names = list(fns)
    for _ in range(warmup):
        for name in names:
            fns[name]()
    times: Dict[str, List[float]] = {name: [] for name in names}
    for i in range(repeats):
        for name in names[i % len(names):] + names[:i % len(names)]:
            start = time.perf_counter()
            fns[name]()
            times[name].append(time.perf_counter() - start)
    return times
