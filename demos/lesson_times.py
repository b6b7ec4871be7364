"""Measure what each lesson costs as a learner runs it, and record it: demos/lesson_times.json.

    python demos/lesson_times.py              # every lesson, one at a time, each from a clean state
    python demos/lesson_times.py 06 12 17     # only these (the others' entries are kept)
    python demos/lesson_times.py 18 20 --cache ~/.cache/minigan   # with what earlier lessons trained kept
    python demos/lesson_times.py cnn          # the reference CNN's first training alone (lessons 17-20 wait on it)

Each lesson runs as ``python demos/NN_name.py --out TMP`` in a process of its own, from another folder, on this
checkout's minigan (first on ``PYTHONPATH``, before any installed one), with an empty classifier cache
(``MINIGAN_CACHE``) unless ``--cache`` names one. Its CPU time is the user and system seconds the kernel counted for
that process (``os.wait4``), the number ``/usr/bin/time`` prints. On a machine shared with other work the wall time
grows with the load, and so does the CPU time, less but much: the same lesson took more than twice the CPU time at a
load of 10-13 on 2 cores than on a quiet machine (docs/performance.md, "The lessons' CPU time"). Each entry records,
besides ``cpu_seconds`` (user + system), ``user_seconds``, ``system_seconds``, ``wall_seconds``, the page faults
(``minor_faults``), the machine's one-minute load average before the run and its mean over the run (sampled every 2
s), its cores, the BLAS kernel set, what the cache held before the run (``cached``: its files; empty from a clean
state), the commit and the date.

demos/README.md and README.md state these times; ``tests/product/test_stated_numbers.py`` checks every time they
state against this record, so a lesson that gets slower (or faster) shows as a failing test until it is measured
again. Run lessons one at a time on a machine as quiet as you can find, and read the recorded load beside each time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

DEMOS = Path(__file__).resolve().parent
ROOT = DEMOS.parent
TIMES = DEMOS / "lesson_times.json"
CNN = "reference_cnn"  # the entry of the reference CNN's first training
TRAIN_CNN = ("import minigan.lessons\nfrom minigan.classifier import reference_classifier\n"
             "reference_classifier('cnn')\n")  # in a lesson's process, as lessons 17-20 train it on first use


def lesson(number: str) -> Path:
    found = sorted(DEMOS.glob(f"{number}_*.py"))
    if not found:
        raise SystemExit(f"lesson_times: no lesson numbered {number} in {DEMOS}")
    return found[0]


def kernels() -> str | None:
    """OpenBLAS's core type for NumPy here (threadpoolctl's ``architecture``), and ``OPENBLAS_CORETYPE`` if set."""
    from threadpoolctl import threadpool_info

    core = next((lib.get("architecture") for lib in threadpool_info() if lib.get("user_api") == "blas"), None)
    forced = os.environ.get("OPENBLAS_CORETYPE")
    return f"{core} (OPENBLAS_CORETYPE={forced})" if forced else core


def commit() -> str | None:
    found = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return (found.stdout.strip() + ("+changes" if dirty else "")) if found.returncode == 0 else None


def measure(command: list[str], cache: str | None, log: Path, lesson_run: bool = True) -> dict:
    """Run ``command`` (a lesson's, given ``--out``) in a process of its own; its CPU seconds (wait4), wall
    seconds, page faults, and the machine's load around it."""
    with tempfile.TemporaryDirectory() as tmp:
        cache = cache or str(Path(tmp) / "cache")
        cached = sorted(str(f.relative_to(cache)) for f in Path(cache).rglob("*") if f.is_file())
        env = dict(os.environ, MINIGAN_CACHE=cache, OPENBLAS_NUM_THREADS="1",  # and this checkout's minigan, not
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))  # another's
        loads, done = [os.getloadavg()[0]], threading.Event()

        def sample():
            while not done.wait(2.0):
                loads.append(os.getloadavg()[0])

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        start = time.perf_counter()
        with open(log, "w") as out:
            argv = [*command, "--out", str(Path(tmp) / "out")] if lesson_run else command
            child = subprocess.Popen(argv, cwd=tmp, env=env, stdout=out, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"lesson_times: {' '.join(command)} failed with exit code {child.returncode}; see {log}")
    return {"cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1), "user_seconds": round(usage.ru_utime, 1),
            "system_seconds": round(usage.ru_stime, 1), "wall_seconds": round(wall, 1),
            "minor_faults": usage.ru_minflt, "load_before": round(loads[0], 1),
            "load_mean": round(sum(loads) / len(loads), 1), "cores": os.cpu_count(), "kernels": kernels(),
            "cached": cached, "commit": commit(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("which", nargs="*", metavar="NN",
                   help="two-digit lesson numbers, or 'cnn' for the reference CNN (default: every lesson)")
    p.add_argument("--cache", default=None,
                   help="use (and keep) this classifier cache instead of an empty one: a lesson after the models it "
                        "needs were trained (each entry lists what the cache held)")
    args = p.parse_args(argv)
    which = args.which or [s.name[:2] for s in sorted(DEMOS.glob("[0-9][0-9]_*.py"))]
    for item in which:
        if item == "cnn":
            name, command = CNN, [sys.executable, "-c", TRAIN_CNN]
        else:
            script = lesson(item)
            name, command = script.stem, [sys.executable, str(script)]
        log = Path(tempfile.gettempdir()) / f"lesson_times_{name}.log"
        cache = None
        if args.cache:
            Path(args.cache).expanduser().mkdir(parents=True, exist_ok=True)
            cache = str(Path(args.cache).expanduser())
        entry = measure(command, cache, log, lesson_run=item != "cnn")
        stored = json.loads(TIMES.read_text()) if TIMES.exists() else {}  # read now: kept entries stay current
        stored[name] = entry
        TIMES.write_text(json.dumps(dict(sorted(stored.items())), indent=1) + "\n")
        print(f"{name}: {entry['cpu_seconds']} s of CPU ({entry['user_seconds']} user, {entry['system_seconds']} "
              f"system), {entry['wall_seconds']} s wall, load {entry['load_before']} before and "
              f"{entry['load_mean']} on average, on {entry['cores']} cores; output in {log}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
