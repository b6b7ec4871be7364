"""Instructions an iteration of a bench workload executes, counted by valgrind's callgrind, which the machine's load
cannot change (a wall clock on a shared machine cannot tell trees 2% apart; docs/performance.md).  Five iterations
warm up; the next N run inside ``itertools.starmap``, so that ``--toggle-collect=starmap_next`` counts only them.

    env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=1 PYTHONHASHSEED=0 valgrind --tool=callgrind \\
        --toggle-collect=starmap_next --callgrind-out-file=cg.out python benchmarks/callgrind_iterations.py mlp-ring 20

The total (``I refs``) divided by N is the count an iteration; ``callgrind_annotate cg.out`` splits it by function
(NumPy's loops, OpenBLAS's kernels, the interpreter).  For an older revision: ``git archive REV | tar -x -C DIR``,
then the same command in DIR with ``PYTHONPATH=DIR``.  The last line printed, a sum of the parameters' absolute
values in hex, tells two trees that compute different values apart.
"""

import importlib
import itertools
import sys

import numpy as np

import minigan


def main(workload="mlp-ring", n=20):
    bench = importlib.import_module("minigan.cli.bench")
    if not hasattr(bench, "make_workload"):  # (older trees: one module)
        bench = importlib.import_module("minigan.cli.bench.workloads")
    minigan.set_num_threads(1)
    step, G, D = bench.make_workload(workload, bench.minigan_framework())
    for _ in range(5):
        step()
    for _ in itertools.starmap(step, itertools.repeat((), int(n))):  # (counted: see the docstring)
        pass
    parameters = list(G.parameters()) + list(D.parameters())
    print("parameters", float(sum(np.abs(p.array.astype(np.float64)).sum() for p in parameters)).hex())


if __name__ == "__main__":
    main(*sys.argv[1:])
