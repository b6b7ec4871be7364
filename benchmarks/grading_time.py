"""How long the grader takes: one workspace with every exercise solved, then a class graded as a teacher grades
(``python -m minigan exercises grade --jobs 2``, each student in its sandbox where bubblewrap is installed).

    python benchmarks/grading_time.py [--students 20]         # copies of a teacher's workspace
    python benchmarks/grading_time.py --mixed 300 --skip-one  # 75 blank, 75 partial, 75 complete, 75 hostile

Targets: a whole workspace in under 120 s, every exercise well inside the grader's own timeout
(grader.TIMEOUT), and a class of 300 (complete, or mixed) within 5 minutes, on two idle cores:

    python benchmarks/grading_time.py --students 300 --skip-one   # 300 complete workspaces
    python benchmarks/grading_time.py --mixed 300 --skip-one      # 300 mixed

At about 1.2 CPU-seconds a complete student (measured under load: docs/performance.md, "The exercises' grader"), 300
complete ones need about 6 CPU-minutes, about 3 to 4 minutes on two idle cores.  The machine's load is printed before
and after (``os.getloadavg``): on a shared machine the clock overstates what two free cores take. (CPU-seconds are not
printed: a sandbox's processes are reaped inside it, so they never reach this process's ``RUSAGE_CHILDREN``; ``perf
stat -e task-clock python benchmarks/grading_time.py ...`` counts the whole tree.)  Timing lives here, not in the
tests, where a loaded machine would fail them at random.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from minigan.exercises import grader, sandbox, workspace

parser = argparse.ArgumentParser()
parser.add_argument("--students", type=int, default=20, help="copies of a teacher's workspace")
parser.add_argument("--mixed", type=int, default=0, help="a class of this many mixed workspaces instead")
parser.add_argument("--skip-one", action="store_true", help="do not time one workspace alone first")
args = parser.parse_args()


def load():
    return "load average " + ", ".join(f"{x:.1f}" for x in os.getloadavg())


print(f"sandbox: {sandbox.why_not() or 'bubblewrap'}; {os.cpu_count()} cores")
with tempfile.TemporaryDirectory() as tmp:
    solved = workspace.start(Path(tmp) / "solved", solutions=True)
    if not args.skip_one:
        start = time.perf_counter()
        results, _ = grader.grade(solved, record=False)
        seconds = time.perf_counter() - start
        slowest = sorted(results, key=lambda r: -r[3])[:3]
        print(f"one workspace, {len(results)} exercises: {seconds:.1f} s (target < 120 s); failed: "
              f"{[r[0] for r in results if not r[1]]} ({load()})")
        print("slowest: " + ", ".join(f"{name} {s:.1f} s" for name, _, _, s in slowest)
              + f" (the grader's timeout: {grader.TIMEOUT:.0f} s)")
    folder = Path(tmp) / "class"
    if args.mixed:
        sys.path.insert(0, str(workspace.REPO / "tests"))
        from product.class_submissions import make_class
        hostile = ["loop", "fork", "fake", "memory", "exit", "record", "forge"]
        quarter = args.mixed // 4
        kinds = ["blank"] * quarter + ["partial"] * quarter + ["complete"] * quarter + \
            [hostile[i % len(hostile)] for i in range(args.mixed - 3 * quarter)]
        expected = make_class(folder, kinds)
        label = f"{args.mixed} mixed workspaces"
    else:
        expected = None
        for i in range(args.students):
            shutil.copytree(solved, folder / f"s{i + 1:03d}", symlinks=True)
        label = f"{args.students} complete workspaces"
    before = load()
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "minigan", "exercises", "grade", str(folder), "--csv",
                          str(Path(tmp) / "g.csv"), "--json", str(Path(tmp) / "g.json"), "--jobs", "2"],
                         capture_output=True, text=True, cwd=tmp)
    seconds = time.perf_counter() - start
    book = json.loads((Path(tmp) / "g.json").read_text()) if run.returncode == 0 else {"students": []}
    wrong = 0
    if expected is not None:
        for entry in book["students"]:
            kind, passes = expected[entry["student"]]
            for r in entry["results"]:
                if r["passed"] != passes[r["exercise"]]:
                    wrong += 1
                    print(f"wrong: {entry['student']} ({kind}) {r['exercise']}: {r['message'][:300]}")
    else:
        wrong = sum(e["passed"] != e["exercises"] for e in book["students"])
    print(f"{label}: {seconds:.1f} s, exit {run.returncode}, {wrong} grades wrong "
          f"({before} before, {load()} after)")
