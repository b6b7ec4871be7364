"""How long the README's test line takes, and what it prints: one run of ``python -m pytest -n auto`` from the
repository's root, timed, its counts read from pytest's last line.

    python benchmarks/test_line.py             # run it and print the record
    python benchmarks/test_line.py --record    # ... and keep it in benchmarks/results/test_line.json

The record holds one entry for a run with PyTorch importable and one for a run without it (a second virtualenv
with only ``.[test]``'s packages): the wall and CPU seconds (the run's processes, pytest-xdist's workers among
them), the machine's load average before and after (on a shared machine the wall time depends on it; the CPU
seconds much less), the cores, the commit, and the counts.  The README quotes it, and
tests/pytorch/test_suite_counts.py checks that the README and the record agree and that the suite still collects
about as many tests as the record says.  Timing lives here, not in the tests, where a loaded machine would fail
them at random.
"""

import argparse
import datetime
import importlib.util
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = Path(__file__).with_name("results") / "test_line.json"
COUNTED = ("passed", "failed", "skipped", "xfailed", "xpassed", "errors", "deselected", "warnings")


def counts(output: str) -> dict:
    """pytest's last line (``= 9,012 passed, 340 skipped, 3 xfailed in 201.34s (0:03:21) =``) and pytest-xdist's
    item count (``2 workers [9355 items]``), as numbers."""
    last = [line for line in output.splitlines() if re.match(r"^=+ .* in [\d.]+s", line)][-1]
    found = {word: int(n.replace(",", "")) for n, word in re.findall(r"(\d[\d,]*) (\w+)", last)}
    found = {("errors" if w == "error" else "warnings" if w == "warning" else w): n for w, n in found.items()}
    items = re.search(r"\d+ workers? \[(\d+) items?\]", output)
    return {"items": int(items.group(1)) if items else None, **{w: found.get(w, 0) for w in COUNTED}}


def run(args) -> dict:
    command = [sys.executable, "-m", "pytest", "-n", "auto", *args]
    load_before = os.getloadavg()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_after = os.getloadavg()
    sys.stdout.write(done.stdout[-3000:])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "command": "python -m pytest -n auto" + "".join(f" {a}" for a in args),
        "exit_status": done.returncode,
        "commit": commit.stdout.strip(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime, 1),
        "cores": os.cpu_count(),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
        **counts(done.stdout),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help=f"keep the result in {RECORD.relative_to(ROOT)}")
    parser.add_argument("pytest_args", nargs="*", help="more arguments for pytest (a record is of the bare line)")
    args = parser.parse_args()
    if args.record and args.pytest_args:
        parser.error("--record keeps the README's line only: leave out the pytest arguments")
    key = "with PyTorch" if importlib.util.find_spec("torch") else "without PyTorch"
    result = run(args.pytest_args)
    print(json.dumps({key: result}, indent=1))
    if result["exit_status"] != 0:
        sys.exit(f"the run failed (exit status {result['exit_status']}): nothing recorded")
    if args.record:
        record = json.loads(RECORD.read_text()) if RECORD.exists() else {}
        record[key] = result
        RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
        print(f"recorded in {RECORD.relative_to(ROOT)} under {key!r}")


if __name__ == "__main__":
    main()
