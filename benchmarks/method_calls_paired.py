"""The per-call cost of the Tensor's hottest methods and operators in two trees, timed in one sitting: the doors'
overhead on a 4x4 float32 tensor, where the arithmetic is nothing and the Python around it is all (the free
functions' doors: benchmarks/door_calls.py).

    python benchmarks/method_calls_paired.py OLD_REV [NEW_REV] [--rounds 9] [--number 20000]
    python benchmarks/method_calls_paired.py OLD_REV [NEW_REV] --instructions [--number 100] [--only "x.add(y)" ...]

OLD_REV and NEW_REV are anything ``git archive`` takes; without NEW_REV the new side is this checkout as it is.  Each
round runs a fresh process in each tree (old then new in even rounds, new then old in odd ones, so a noisy stretch
of the machine falls on both), which times every call with timeit (the best of 3 repeats of ``--number`` calls);
the table gives each call's median over the rounds, in nanoseconds, and new/old.  The load average is printed
before each round: on a shared machine read the ratios, and rerun where they disagree.

With ``--instructions`` each call is counted instead, by valgrind's callgrind (which the machine's load cannot
change; benchmarks/callgrind_iterations.py): the instructions of ``--number`` calls, after 20 to warm up, run inside
``itertools.starmap`` (``--toggle-collect=starmap_next``), divided by ``--number``: one valgrind run a call and tree,
about half a minute each.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from paired_trees import extract  # (a revision's tree in a folder of its own, as the whole-run pairing takes it)

REPO = Path(__file__).resolve().parent.parent
CALLS = ("x.add(y)", "x + y", "x.mul(y)", "x * y", "x.mul_(2)", "x *= 2", "x.sub(y)", "x.add_(y)", "x.eq(y)",
         "x == y", "x.matmul(y)", "x @ y", "x.size(0)", "x.stride(0)", "x.max(y)", "x.div_(1)", "x.view_as(y)")

# Run in each tree: drop the editable install's finder, check that minigan comes from the tree, time each call
CHILD = """import json, os, sys, timeit
tree, number = sys.argv[1], int(sys.argv[2])
sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")]
import minigan
assert os.path.realpath(minigan.__file__).startswith(os.path.realpath(tree) + os.sep), minigan.__file__
minigan.manual_seed(0)
x, y = minigan.rand(4, 4) + 0.5, minigan.rand(4, 4) + 0.5
out = {}
for call in json.loads(sys.argv[3]):  # (x *= 2 through a local name: timeit runs the call in a function)
    stmt = call.replace("x *= ", "t = x; t *= ")
    out[call] = min(timeit.repeat(stmt, globals={"x": x, "y": y}, number=number, repeat=3)) / number * 1e9
print(json.dumps(out))
"""

# Run under callgrind in each tree: one call, warmed up, then --number of them inside starmap (what is counted)
COUNTED = """import itertools, os, sys
tree, call, number = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")]
import minigan
assert os.path.realpath(minigan.__file__).startswith(os.path.realpath(tree) + os.sep), minigan.__file__
minigan.manual_seed(0)
names = {"x": minigan.rand(4, 4) + 0.5, "y": minigan.rand(4, 4) + 0.5}
exec("def f():\\n    t = x\\n    " + call.replace("x", "t", 1) + "\\n", names)  # (x *= 2 on a local name)
for _ in range(20):
    names["f"]()
list(itertools.starmap(names["f"], itertools.repeat((), number)))
"""


def run(tree: Path, number: int, calls) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(tree), str(number), json.dumps(list(calls))], cwd=tree,
                          env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{tree}: {done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def count(tree: Path, call: str, number: int) -> float:
    """The instructions one ``call`` executes in ``tree``, by callgrind."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    env.update(PYTHONPATH=str(tree), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", PYTHONHASHSEED="0")
    with tempfile.NamedTemporaryFile() as out:
        done = subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=starmap_next",
                               f"--callgrind-out-file={out.name}", os.path.realpath(sys.executable), "-c", COUNTED,
                               str(tree), call, str(number)], cwd=tree, env=env, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or not found:
        raise SystemExit(f"{tree}: {done.stderr[-2000:]}")
    return int(found.group(1)) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new", nargs="?")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--number", type=int)
    parser.add_argument("--instructions", action="store_true", help="count each call's instructions (callgrind)")
    parser.add_argument("--only", nargs="+", default=CALLS, help="the calls, as written in CALLS")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"old": extract(args.old, Path(tmp)), "new": extract(args.new, Path(tmp)) if args.new else REPO}
        if args.instructions:
            print(f"{'call':14s} {'old':>9s} {'new':>9s} {'new/old':>8s}   (instructions a call)")
            for call in args.only:
                old, new = (count(trees[side], call, args.number or 100) for side in ("old", "new"))
                print(f"{call:14s} {old:9.0f} {new:9.0f} {new / old:8.3f}", flush=True)
            return
        args.number = args.number or 20000
        times = {"old": [], "new": []}
        for i in range(args.rounds):
            print(f"round {i + 1}/{args.rounds}, load average {Path('/proc/loadavg').read_text().split()[:3]}",
                  flush=True)
            for side in ("old", "new") if i % 2 == 0 else ("new", "old"):
                times[side].append(run(trees[side], args.number, args.only))
    print(f"{'call':14s} {'old ns':>9s} {'new ns':>9s} {'new/old':>8s}")
    for call in args.only:
        old, new = (statistics.median(t[call] for t in times[side]) for side in ("old", "new"))
        print(f"{call:14s} {old:9.0f} {new:9.0f} {new / old:8.3f}")


if __name__ == "__main__":
    main()
