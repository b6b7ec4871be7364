"""Two trees of minigan timed in one sitting: ``python -m minigan.bench`` run in each in turn, alternating, and
a table of the medians.  Run it for every change to an op's arithmetic (docs/performance.md says when).

    python benchmarks/paired_trees.py OLD_REV [NEW_REV] [--only op_overhead mlp-ring dcgan-28] [--runs 5]

OLD_REV and NEW_REV are anything ``git archive`` takes (a commit, a tag, a branch); each is extracted into a
temporary folder.  Without NEW_REV the new side is this checkout as it is, uncommitted changes included.  Each run
is ``python -m minigan.bench --only ... --compare torch --threads 1`` in that tree, with that tree first on the
path; run i goes old then new when i is even and new then old when it is odd, so a noisy stretch of the machine
falls on both.  The table gives, for each workload and tree, the median (and range) over the runs of minigan's
time and of the minigan/PyTorch ratio, which the bench measures in the same process (PyTorch is the yardstick
that cancels the machine's load; read the ratios).  The machine's load average is printed before each run.

Both trees see the same environment, less ``OPENBLAS_CORETYPE``: OpenBLAS then picks its own kernels for this CPU,
the same for both.  The installed (editable) minigan is kept from supplying a module an old tree lacks.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Run in each tree: drop the editable install's finder (it would find a module the tree lacks in the checkout),
# check that minigan comes from the tree, then run the bench as `python -m minigan.bench` would.
CHILD = """import os, runpy, sys
tree = sys.argv.pop(1)
sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")]
import minigan
assert os.path.realpath(minigan.__file__).startswith(os.path.realpath(tree) + os.sep), minigan.__file__
sys.argv[0] = "minigan.bench"
runpy.run_module("minigan.bench", run_name="__main__", alter_sys=True)
"""


def extract(rev: str, into: Path) -> Path:
    """``rev``'s tree, from git archive, in a new folder under ``into``."""
    folder = into / rev.replace("/", "_")
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def run_bench(tree: Path, only, threads: int, json_path: Path, repeats) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    env["PYTHONPATH"] = str(tree)
    command = [sys.executable, "-c", CHILD, str(tree), "--only", *only, "--compare", "torch",
               "--threads", str(threads), "--json", str(json_path)]
    if repeats is not None:
        command += ["--repeats", str(repeats)]
    subprocess.run(command, cwd=tree, env=env, check=True, stdout=subprocess.DEVNULL)
    return json.loads(json_path.read_text())


def figures(result: dict) -> dict:
    """The figures of one workload's result: minigan's time and the ratio to PyTorch, where the bench gives them."""
    out = {}
    for key in ("us_per_op", "minigan_ms"):
        if key in result:
            out["time"] = (result[key], "µs/op" if key == "us_per_op" else "ms")
    if "ratio" in result:
        out["ratio"] = result["ratio"]
    return out


def summary(values) -> str:
    values = sorted(values)
    return f"{statistics.median(values):.3f} ({values[0]:.3f}–{values[-1]:.3f})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="the revision to compare against (e.g. the previous release)")
    parser.add_argument("new", nargs="?", default=None, help="a revision; default: this checkout as it is")
    parser.add_argument("--only", nargs="+", default=["op_overhead", "mlp-ring", "dcgan-28"],
                        help="the bench's workloads (default: op_overhead mlp-ring dcgan-28)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each tree (default 5)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS and PyTorch threads (default 1)")
    parser.add_argument("--repeats", type=int, default=None, help="the bench's repeats per figure")
    parser.add_argument("--json", default=None, help="also write every run's results here")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    scratch = Path(tempfile.mkdtemp(prefix="paired_trees_"))
    try:
        trees = {args.old: extract(args.old, scratch)}
        new_name = args.new or "checkout"
        trees[new_name] = extract(args.new, scratch) if args.new else REPO
        names = list(trees)
        runs, loads = {name: [] for name in names}, []
        for i in range(args.runs):
            for name in (names if i % 2 == 0 else names[::-1]):
                loads.append(os.getloadavg()[0])
                print(f"run {i + 1}/{args.runs} {name}: load average {loads[-1]:.2f}", flush=True)
                data = run_bench(trees[name], args.only, args.threads, scratch / "run.json", args.repeats)
                runs[name].append(data)
    finally:
        shutil.rmtree(scratch)

    machine = runs[names[0]][0]["machine"]
    print(f"\n{machine.get('cpu')}, Python {machine.get('python')}, NumPy {machine.get('numpy')}, "
          f"{machine.get('blas')}, torch {machine.get('torch')}; {args.threads} thread(s); "
          f"{args.runs} runs of each tree, alternating, load average {min(loads):.1f}–{max(loads):.1f}; median (range)")
    print("| workload | tree | minigan | minigan / PyTorch |")
    print("|---|---|---|---|")
    for workload in args.only:
        for name in names:
            found = [figures(r) for data in runs[name] for r in data["results"] if r.get("name") == workload]
            times = [f["time"][0] for f in found if "time" in f]
            unit = next((f["time"][1] for f in found if "time" in f), "")
            ratios = [f["ratio"] for f in found if "ratio" in f]
            print(f"| {workload} | {name} | {summary(times) + ' ' + unit if times else '-'} | "
                  f"{summary(ratios) if ratios else '-'} |")
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
