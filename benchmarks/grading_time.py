"""How long the grader takes: one workspace with every exercise solved, then a class of copies of it graded as a
teacher grades (``python -m minigan exercises grade``, one job per core).

    python benchmarks/grading_time.py [--students 40]

Targets: a whole workspace in under 120 s, every exercise well inside the grader's own
timeout (grader.TIMEOUT), 40 workspaces in under 180 s on two cores.  Timing lives here, not in the tests, where a
loaded machine would fail them at random.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from minigan.exercises import grader, workspace

parser = argparse.ArgumentParser()
parser.add_argument("--students", type=int, default=40)
args = parser.parse_args()

with tempfile.TemporaryDirectory() as tmp:
    solved = workspace.start(Path(tmp) / "solved", solutions=True)
    start = time.perf_counter()
    results, _ = grader.grade(solved)
    seconds = time.perf_counter() - start
    slowest = sorted(results, key=lambda r: -r[3])[:3]
    print(f"one workspace, {len(results)} exercises: {seconds:.1f} s (target < 120 s); failed: "
          f"{[r[0] for r in results if not r[1]]}")
    print("slowest: " + ", ".join(f"{name} {s:.1f} s" for name, _, _, s in slowest)
          + f" (the grader's timeout: {grader.TIMEOUT:.0f} s)")
    folder = Path(tmp) / "class"
    for i in range(args.students):
        shutil.copytree(solved, folder / f"s{i + 1:02d}", symlinks=True)
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "minigan", "exercises", "grade", str(folder), "--csv",
                          str(Path(tmp) / "g.csv")], capture_output=True, text=True, cwd=tmp)
    seconds = time.perf_counter() - start
    print(f"{args.students} workspaces: {seconds:.1f} s (target < 180 s for 40 on two cores); "
          f"exit {run.returncode}")
