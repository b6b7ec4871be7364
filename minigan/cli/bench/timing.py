"""How the benchmarks measure: median seconds over repeats after a warm-up, several functions' repeats interleaved
(a burst of load on a shared machine hits each), the ratio of two as the median of back-to-back pairs; peak memory
of one call (tracemalloc, or CuPy's pool) and the resident set size."""

from __future__ import annotations

import gc
import os
import resource
import statistics
import time
import tracemalloc

from minigan.engine import backend


def sync(xp):
    """Wait for the GPU so timings measure work, not kernel launches."""
    if xp is not backend.np:
        xp.cuda.Device().synchronize()


def timeit(fn, repeats=7, warmup=2, xp=None, inner=1):
    """Median seconds of one ``fn()`` over ``repeats`` runs of ``inner`` calls, after ``warmup`` calls."""
    return time_interleaved({"fn": (fn, xp or backend.active_module())}, repeats, warmup, inner)["fn"]


def _calibrate(fn, sync, target):
    """How many calls of ``fn`` make one timed repeat of about ``target`` seconds."""
    t0 = time.perf_counter()
    fn()
    sync()
    dt = time.perf_counter() - t0
    return max(1, int(target / max(dt, 1e-7)))


def time_interleaved(fns, repeats=7, warmup=2, inner=None, target=0.1):
    """Median seconds per call of each ``fns[name] = (fn, xp_or_sync)``, repeats interleaved."""
    return {k: statistics.median(v) for k, v in time_repeats(fns, repeats, warmup, inner, target).items()}


def paired_ratio(times, a, b):
    """Median over repeats of times[a][i] / times[b][i]: each pair ran back to back, so a burst of
    load on a shared machine slows both sides of a pair and cancels out of its ratio."""
    return statistics.median(x / y for x, y in zip(times[a], times[b]))


def time_repeats(fns, repeats=7, warmup=2, inner=None, target=0.1):
    """Seconds per call of each ``fns[name] = (fn, xp_or_sync)`` in every repeat, repeats interleaved.

    ``xp_or_sync`` is an array module (its GPU is synchronised) or a callable that waits for
    the device.  Each repeat runs every function ``inner`` times in turn (``inner=None``: enough
    calls for about ``target`` seconds, chosen per function after the warm-up).
    """
    syncs = {k: (s if callable(s) else (lambda xp=s: sync(xp))) for k, (_, s) in fns.items()}
    for name, (fn, _) in fns.items():
        for _ in range(warmup):
            fn()
        syncs[name]()
    counts = {k: (inner or _calibrate(fn, syncs[k], target)) for k, (fn, _) in fns.items()}
    times = {k: [] for k in fns}
    for _ in range(repeats):
        for name, (fn, _) in fns.items():
            k = counts[name]
            t0 = time.perf_counter()
            for _ in range(k):
                fn()
            syncs[name]()
            times[name].append((time.perf_counter() - t0) / k)
    return times


def peak_bytes(step, xp):
    """Peak memory of one call of ``step`` above what existed before it (see the module docstring)."""
    if xp is not backend.np:
        pool = xp.get_default_memory_pool()
        pool.free_all_blocks()
        before = pool.total_bytes()
        step()
        sync(xp)
        return pool.total_bytes() - before
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    try:
        step()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - base


def rss_bytes():
    """Resident set size now (Linux /proc/self/statm); falls back to the peak, ru_maxrss."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
