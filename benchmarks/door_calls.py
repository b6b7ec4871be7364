"""The per-call cost of the free functions' doors and a few methods, trees side by side: ``minigan.exp(x)``,
``minigan.add(x, y)``, ``x.sin()``, ``minigan.sin(x)``, ``minigan.sum(x, 0)``, ``minigan.cumsum(x, 0)``,
``x.sum(axis=0)``, ``x.cumsum(0)``, and ``x + y``, ``x.exp()`` beside them (no door: what the load moves alone), on
4x4 float32 tensors.  Each tree is another checkout's folder (``git worktree add /tmp/base 4c96607d``), imported in
a process of its own.

    env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \\
        python benchmarks/door_calls.py TREE [TREE ...] [--rounds 5]
    python benchmarks/door_calls.py TREE [TREE ...] --count    # instructions per call, under valgrind's callgrind

Timed: each round runs every tree once, in turn, each form 200 samples of 200 calls interleaved with the others;
a run's figure is the 5th percentile of its samples (the load's least), the table the median over the rounds.  On
a loaded machine the figures move by 5-10% from run to run; ``--count`` does not: it counts the instructions of
2,500 calls less those of 500 (the import and the warm-up cancel), divided by 2,000, the garbage collector off,
which no load moves.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

FORMS = {"minigan.exp(x)": "minigan.exp(x)", "minigan.add(x, y)": "minigan.add(x, y)", "x.sin()": "x.sin()",
         "minigan.sin(x)": "minigan.sin(x)", "minigan.sum(x, 0)": "minigan.sum(x, 0)",
         "minigan.cumsum(x, 0)": "minigan.cumsum(x, 0)", "x.sum(axis=0)": "x.sum(axis=0)",
         "x.cumsum(0)": "x.cumsum(0)", "x + y": "x + y", "x.exp()": "x.exp()"}

TIMED = r'''
import json, sys, timeit, minigan
x, y = minigan.randn(4, 4), minigan.randn(4, 4)
forms = {k: eval("lambda: " + v) for k, v in json.loads(sys.argv[1]).items()}
samples = {k: [] for k in forms}
for _ in range(200):
    for k, f in forms.items():
        samples[k].append(timeit.timeit(f, number=200) / 200 * 1e6)
print(json.dumps({k: sorted(v)[10] for k, v in samples.items()}))
'''

COUNTED = r'''
import gc, sys, minigan
x, y = minigan.randn(4, 4), minigan.randn(4, 4)
f = eval("lambda: " + sys.argv[1])
gc.disable()  # (a full collection in one count and not the other would move it by ~700 instructions a call)
for _ in range(200 + int(sys.argv[2])):  # (200 to warm the caches and the specializing interpreter)
    f()
'''


def _env(tree: str) -> dict:
    env = dict(os.environ, PYTHONPATH=tree, PYTHONHASHSEED="0", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    env.pop("OPENBLAS_CORETYPE", None)
    return env


def timed(trees: list, rounds: int) -> dict:
    """{tree: {form: µs per call}}: medians over ``rounds`` of each run's 5th percentile."""
    runs = {t: [] for t in trees}
    for _ in range(rounds):
        for t in trees:
            out = subprocess.run([sys.executable, "-c", TIMED, json.dumps(FORMS)], env=_env(t), cwd=t,
                                 capture_output=True, text=True, check=True).stdout
            runs[t].append(json.loads(out))
    return {t: {k: statistics.median(r[k] for r in runs[t]) for k in FORMS} for t in trees}


def _instructions(tree: str, form: str, calls: int) -> int:
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c",
                          COUNTED, form, str(calls)], env=_env(tree), cwd=tree, capture_output=True, text=True,
                         check=True).stderr
    return int(next(line for line in out.splitlines() if "Collected" in line).split()[-1])


def counted(trees: list) -> dict:
    """{tree: {form: instructions per call}} (the doors' forms only: a few minutes each under callgrind)."""
    forms = [k for k in FORMS if k.startswith("minigan.") and k != "minigan.cumsum(x, 0)" or k == "x.sin()"]
    return {t: {k: (_instructions(t, FORMS[k], 2500) - _instructions(t, FORMS[k], 500)) // 2000 for k in forms}
            for t in trees}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="+", help="checkouts' folders, each imported as its own minigan")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", action="store_true", help="instructions per call (valgrind), not time")
    args = parser.parse_args(argv)
    trees = [str(Path(t).resolve()) for t in args.trees]
    if args.count and shutil.which("valgrind") is None:
        parser.error("--count needs valgrind on the PATH (apt-get install valgrind)")
    table = counted(trees) if args.count else timed(trees, args.rounds)
    print(f"load average {open('/proc/loadavg').read().split()[:3]}")
    unit = "instructions per call" if args.count else f"µs per call (median of {args.rounds} rounds)"
    print(f"{unit:36}" + "".join(f"{Path(t).name:>14}" for t in trees))
    for form in table[trees[0]]:
        print(f"{form:36}" + "".join(f"{table[t][form]:14,.2f}" if not args.count else f"{table[t][form]:14,}"
                                     for t in trees))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
