"""Benchmarks: ``python -m minigan.bench [--backend cupy] [--json PATH] [--only NAME ...]``.

Speed targets live here, never in unit tests.  Every figure is a median over repeats after a
warm-up.  The first benchmark is the autodiff engine's own cost: microseconds per op
(forward + backward) for a long chain of tiny elementwise ops, where the arithmetic is
negligible and what is left is Python bookkeeping.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

import minigan
from minigan import backend


def _sync(xp):
    """Wait for the GPU so timings measure work, not kernel launches."""
    if xp is not backend.np:
        xp.cuda.Device().synchronize()


def timeit(fn, repeats=7, warmup=2, xp=None):
    """Median seconds of ``fn()`` over ``repeats`` runs after ``warmup`` runs."""
    xp = xp or backend.active_module()
    for _ in range(warmup):
        fn()
    _sync(xp)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        _sync(xp)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_op_overhead(chain=2000, repeats=7):
    """µs per op for forward+backward of x → x*c → +c → ... on a 4-element float32 tensor."""
    x = minigan.randn(4, requires_grad=True)

    def run():
        y = x
        for _ in range(chain // 2):
            y = y * 1.0001
            y = y + 0.0001
        y.sum().backward()
        x.grad = None

    seconds = timeit(run, repeats=repeats)
    return {"name": "op_overhead", "us_per_op": 1e6 * seconds / (chain + 1), "chain": chain}


BENCHMARKS = {"op_overhead": bench_op_overhead}


def machine_info():
    info = {
        "python": platform.python_version(),
        "numpy": backend.np.__version__,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "backend": backend.backend_name(),
    }
    if backend.backend_name() == "cupy":
        xp = backend.active_module()
        info["cupy"] = xp.__version__
        info["gpu"] = xp.cuda.runtime.getDeviceProperties(0)["name"].decode()
    return info


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m minigan.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--backend", default="numpy", choices=["numpy", "cupy"])
    parser.add_argument("--json", default="bench.json", help="where to write the results (JSON)")
    parser.add_argument("--only", nargs="*", default=None, help=f"a subset of {sorted(BENCHMARKS)}")
    args = parser.parse_args(argv)
    try:
        minigan.use_backend(args.backend)
    except RuntimeError as e:
        print(f"minigan.bench: {e}", file=sys.stderr)
        return 2
    minigan.manual_seed(0)
    names = args.only or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"minigan.bench: unknown benchmark(s) {unknown}; choose from {sorted(BENCHMARKS)}", file=sys.stderr)
        return 2
    results = {"machine": machine_info(), "results": []}
    for name in names:
        r = BENCHMARKS[name]()
        results["results"].append(r)
        figures = ", ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in r.items() if k != "name")
        print(f"{name:<16} {figures}")
    tmp = args.json + ".tmp"
    with open(tmp, "w") as f:
        json.dump(results, f, indent=2)
    os.replace(tmp, args.json)
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
