"""Benchmarks: ``python -m minigan.bench [--backend cupy] [--compare torch] [--batch N [N ...]] [--threads N]
[--json PATH] [--only NAME ...]`` (``--json``: also write the results there; without it nothing is written).

Speed targets live here, never in unit tests.  Every figure is a median over repeats after a
warm-up; with ``--compare torch`` minigan and PyTorch run the *same* workload in the same
process, their repeats interleaved (minigan, torch, minigan, torch, ...) so that a burst of
load on a shared machine hits both; the ratio minigan/PyTorch printed per workload is the
median over repeats of each back-to-back pair's ratio.

The benchmarks (``BENCHMARKS`` in workloads.py; how they are timed: timing.py; the machine and the printed table:
report.py):

* ``op_overhead`` — the autodiff engine's own cost: µs per op (forward + backward) for a long
  chain of tiny elementwise ops, where the arithmetic is negligible and what is left is Python
  bookkeeping.
* ``mlp-ring``, ``mlp-mnist``, ``dcgan-28``, ``dcgan-bn-28`` (and ``dcgan-bn-28-b128``, the same at
  batch 128) — one GAN training iteration, written once and run
  by both frameworks (``gan_step``): one D step on a real batch and a *detached* fake batch
  (BCE-with-logits, real → 1, fake → 0), then one non-saturating G step (BCE(D(G(z)), 1))
  through the *updated* D with D frozen; Adam(lr 2e-4, betas (0.5, 0.999)) for both.  The real
  batch and the noise are fixed arrays made once (the data pipeline is not timed); PyTorch's
  networks start from minigan's weights, so both compute the same numbers.
* ``hand-numpy`` — mlp-ring (and mlp-mnist) written by hand: forward, backward and Adam in plain
  array code, no autodiff — the floor an autodiff engine on NumPy can hope to reach.
* ``conv`` — conv2d / conv_transpose2d forward and forward+backward at the sizes of dcgan-28
  (and one 3×3 layer).
* ``soak`` (not in the default set: ``--only soak``) — 10,000 mlp-ring iterations, sampling the
  resident set size (RSS, /proc/self/statm) and the number of live Tensors: both must stay flat,
  i.e. every step's graph is freed.

Peak memory of a workload is measured with ``tracemalloc`` (NumPy reports its array buffers to
it): the peak of traced bytes during one iteration above what was allocated before it (weights,
optimizer state and data already exist).  On CuPy it is the growth of CuPy's memory pool and
for PyTorch on CUDA ``torch.cuda.max_memory_allocated``; PyTorch's CPU allocator is invisible to
tracemalloc, so no CPU figure is given for it.  The process's ``ru_maxrss`` is in the JSON too.

Threads: ``--threads N`` sets the threads of NumPy's BLAS with ``minigan.set_num_threads(N)``
(threadpoolctl, which finds the BLAS libraries NumPy loaded and sets their pools in this process)
and calls ``torch.set_num_threads(N)``.  Without ``--threads`` NumPy's BLAS is left as it is and
PyTorch gets as many threads as it has.  The thread counts actually in force are printed and
stored in the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys

import minigan
from minigan.cli.bench.report import (
    blas_info,
    blas_threads,
    machine_info,
    print_result,
    print_table,
    set_threads,
    thread_info,
)
from minigan.cli.bench.workloads import BENCHMARKS, DEFAULT, RUN
from minigan.cli.outputs import check_file
from minigan.process import keep_freed_memory
from minigan.serialization import atomic_write


def _import_torch():
    try:
        import torch
    except Exception as e:  # not installed, or broken
        print(f"minigan.bench: --compare torch needs PyTorch ({e}); comparing nothing", file=sys.stderr)
        return None
    return torch


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m minigan.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--backend", default="numpy", choices=["numpy", "cupy"])
    parser.add_argument("--json", default=None,
                        help="also write the results (JSON) to this file (default: print them only; nothing is "
                             "written to the current folder unasked)")
    parser.add_argument("--only", nargs="*", default=None,
                        help=f"a subset of {list(BENCHMARKS)} (default: all but soak)")
    parser.add_argument("--compare", choices=["torch"], default=None,
                        help="run the identical workloads in PyTorch too and print minigan/PyTorch")
    parser.add_argument("--batch", type=int, nargs="+", default=None,
                        help="batch size(s) for every workload, e.g. --batch 64 256 runs everything at both "
                             "(default: 256 for mlp-ring, 64 otherwise)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for NumPy's BLAS and for PyTorch (see the module docstring)")
    parser.add_argument("--repeats", type=int, default=9, help="timed repeats per figure (median)")
    parser.add_argument("--steps", type=int, default=10_000, help="iterations of the soak")
    args = parser.parse_args(argv)
    if args.batch is not None and min(args.batch) < 1:
        parser.error("--batch must be >= 1")
    if args.threads is not None and args.threads < 1:
        parser.error("--threads must be >= 1")
    try:
        minigan.use_backend(args.backend)
    except RuntimeError as e:
        print(f"minigan.bench: {e}", file=sys.stderr)
        return 2
    names = args.only or DEFAULT
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"minigan.bench: unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}", file=sys.stderr)
        return 2
    try:  # where the results go, before minutes of timing
        if args.json is not None:
            check_file(args.json, "minigan.bench: --json", "give --json a file in a folder you can write")
    except (ValueError, OSError) as e:
        print(e, file=sys.stderr)
        return 2
    keeps_memory = keep_freed_memory()  # as ``python -m minigan`` does: this process is the bench's
    torch = _import_torch() if args.compare == "torch" else None
    RUN.update(repeats=args.repeats, steps=args.steps, torch=torch, device="cuda" if args.backend == "cupy" else "cpu")
    if torch is not None and RUN["device"] == "cuda" and not torch.cuda.is_available():
        print("minigan.bench: this PyTorch has no CUDA; comparing nothing", file=sys.stderr)
        RUN["torch"] = torch = None
    if args.threads is not None:
        threads = set_threads(args.threads, torch)
    else:  # leave NumPy's BLAS as it is, and give PyTorch the same number of threads
        if torch is not None:
            torch.set_num_threads(blas_threads())
        threads = thread_info(torch)
    minigan.manual_seed(0)
    results = {"machine": machine_info(torch), "threads": threads, "batch": args.batch,
               "keep_freed_memory": keeps_memory, "results": []}
    print("threads: " + ", ".join(f"{k}={v}" for k, v in threads.items()) + f"; NumPy's BLAS: {blas_info()}; "
          f"CPU: {results['machine']['cpu']}")
    try:
        for batch in args.batch or [None]:
            RUN["batch"] = batch
            for name in names:
                r = BENCHMARKS[name]()
                results["results"].append(r)
                print_result(r)
    finally:
        RUN["torch"] = None
    print_table(results["results"])
    results["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        results["machine"]["loadavg_end"] = os.getloadavg()
    except OSError:
        pass
    if args.json is None:
        print("(the results above are not kept: --json PATH writes them, with the machine and threads, to a file)")
        return 0
    with atomic_write(args.json, "w") as f:
        json.dump(results, f, indent=2)
    print(f"wrote {args.json}")
    return 0
