"""Measure what each lesson costs as a learner runs it, and record it: demos/lesson_times.json.

    python demos/lesson_times.py              # every lesson and the reference CNN, one at a time, each from a
                                              # clean state; then the pages are rewritten from the record
    python demos/lesson_times.py 06 12 17     # only these (the others' entries are kept)
    python demos/lesson_times.py --pages      # measure nothing: rewrite the pages from the record
    python demos/lesson_times.py 18 20 --cache ~/.cache/minigan   # with what earlier lessons trained kept
    python demos/lesson_times.py cnn          # the reference CNN's first training alone (lessons 17-20 wait on it)

Each lesson runs as ``python demos/NN_name.py --out TMP`` in a process of its own, from another folder, on this
checkout's minigan (first on ``PYTHONPATH``, before any installed one), with an empty classifier cache
(``MINIGAN_CACHE``) unless ``--cache`` names one, and with minigan's modules compiled in the run, as a fresh
clone's first run compiles them (its ``__pycache__`` folders removed, ``PYTHONDONTWRITEBYTECODE``; NumPy's and the
standard library's bytecode is installed with them). Entries without ``bytecode`` were measured with minigan's
bytecode already compiled, a few tenths of a second less. Its CPU time
is the user and system seconds the kernel counted for that process (``os.wait4``), the number ``/usr/bin/time``
prints. On a machine shared with other work the wall time
grows with the load, and so does the CPU time, less but much: the same lesson took more than twice the CPU time at a
load of 10-13 on 2 cores than on a quiet machine (docs/performance.md, "The lessons' CPU time"). Each entry records,
besides ``cpu_seconds`` (user + system), ``user_seconds``, ``system_seconds``, ``wall_seconds``, the page faults
(``minor_faults``), the machine's one-minute load average before the run and its mean over the run (sampled every 2
s), its cores, the BLAS kernel set, what the cache held before the run (``cached``: its files; empty from a clean
state), the commit and the date.

demos/README.md, README.md and each lesson's "Run time" paragraph state these times, and
``minigan.classifier.FIRST_TRAINING`` the reference CNN's; after measuring, this command rewrites each of them from
the record (``pages``: only the numbers; the words around them are the pages' own), and so do the notebooks
(demos/make_notebooks.py). ``tests/product/test_stated_numbers.py`` checks every time they state against this record,
so a lesson that gets slower (or faster) shows as a failing test until it is measured again. Run lessons one at a
time on a machine as quiet as you can find, and read the recorded load beside each time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
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
    import numpy  # noqa: F401  (loads the BLAS the lessons use, so that threadpoolctl can name its kernels)
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
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),  # another's
                   # and minigan's modules compiled in the run, as in a fresh clone's first run (NumPy's and the
                   # standard library's come compiled with them): none of its bytecode is kept or read
                   PYTHONDONTWRITEBYTECODE="1")
        for compiled in (ROOT / "minigan").rglob("__pycache__"):
            shutil.rmtree(compiled, ignore_errors=True)
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
            "cached": cached, "bytecode": "compiled in the run", "commit": commit(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


# ----------------------------------------------------------------------------- the pages that state the times
INDEX = DEMOS / "README.md"
README = ROOT / "README.md"
CLASSIFIER = ROOT / "minigan" / "classifier.py"
EARLIER = "not yet timed as a script"  # an entry carried over from demos/numbers.json's in-process timing
CPU = r"(?:under 1 s|\d+(?:\.\d+)? s)(?=\s+of\s+CPU)"  # how a page states a CPU time, before "of CPU"


def stated_cpu(seconds: float) -> str:
    """How a page states a CPU time from the record: under 1 s, else whole seconds."""
    return "under 1 s" if seconds < 1 else f"{seconds:.0f} s"


def stated_time(entry: dict) -> str:
    """A lesson's CPU time as the index's table gives it: the time, and what was cached when it was measured (or
    that it is the earlier in-process timing, not yet measured by this command)."""
    if "source" in entry:
        return f"{stated_cpu(entry['cpu_seconds'])}, {EARLIER}"
    return stated_cpu(entry["cpu_seconds"]) + (", models cached" if entry["cached"] else "")


def load_stated(times: dict) -> dict:
    """The load and wall-to-CPU ratios the index states: the range over the lessons of 5 s of CPU or more that
    this command measured."""
    long = [e for k, e in times.items() if k[:2].isdigit() and e["cpu_seconds"] >= 5 and "source" not in e]
    loads = sorted(e["load_mean"] for e in long)
    ratios = sorted(e["wall_seconds"] / e["cpu_seconds"] for e in long)
    return {"low": round(loads[0]), "high": round(loads[-1]), "cores": max(e["cores"] for e in long),
            "ratio_low": f"{ratios[0]:.1f}", "ratio_high": f"{ratios[-1]:.1f}"}


def _words(phrase: str) -> str:
    """A regex for ``phrase`` (already a regex) whose spaces match any run of white space (a page wraps lines)."""
    return phrase.replace(" ", r"\s+")


def index_page(text: str, times: dict) -> str:
    """demos/README.md with every time it states taken from ``times``: the table's CPU column, each lesson's
    **Time:** sentence, the load they ran under, the first lesson's time and the reference CNN's."""
    stems = {k[:2]: k for k in times if k[:2].isdigit()}

    def row(m):
        return m.group(1) + stated_time(times[m.group(3)]) + " |"

    text = re.sub(r"^(\| (\d\d) \| \[.*?\]\((\d\d_\w+)\.py\) \|.*\| )[^|]+ \|$", row, text, flags=re.M)

    def section(m):
        stem = stems[m.group(1)]
        return re.sub(r"(\*\*Time:\*\*\s+)" + CPU, lambda t: t.group(1) + stated_cpu(
            times[stem]["cpu_seconds"]), m.group(0), count=1)

    text = re.sub(r"^## (\d\d) · .*?(?=^## |\Z)", section, text, flags=re.M | re.S)
    load = load_stated(times)
    text = re.sub(_words(r"one-minute load average of \d+–\d+ on \d+ cores, where the wall time was "
                         r"\d+(?:\.\d)?–\d+(?:\.\d)?×"),
                  lambda m: _keep_breaks(m.group(0), f"one-minute load average of {load['low']}–{load['high']} on "
                                                    f"{load['cores']} cores, where the wall time was "
                                                    f"{load['ratio_low']}–{load['ratio_high']}×"), text)
    first = stated_cpu(times["01_autograd_tour"]["cpu_seconds"])
    text = re.sub(r"(start here: )" + CPU, lambda m: m.group(1) + first, text)
    cnn = f"{times[CNN]['cpu_seconds']:.0f}"
    return re.sub(_words(r"(about )\d+( s (?:of CPU )?on a 2-core CPU)"), lambda m: m.group(1) + cnn + m.group(2),
                  text)


def _keep_breaks(old: str, new: str) -> str:
    """``new`` with a line break wherever ``old`` had one between the same words (a page keeps its wrapping)."""
    breaks = [len(old[:i].split()) for i, c in enumerate(old) if c == "\n"]
    words = new.split(" ")
    return "".join(w + ("\n" if i + 1 in breaks else " ") for i, w in enumerate(words)).rstrip(" ")


def readme_page(text: str, times: dict) -> str:
    first = stated_cpu(times["01_autograd_tour"]["cpu_seconds"])
    return re.sub(r"(runs the first lesson \()" + CPU, lambda m: m.group(1) + first, text)


def lesson_page(text: str, entry: dict) -> str:
    """A lesson's script with the CPU time of its "**Run time:**" paragraph taken from its record."""
    return re.sub(r"(\*\*Run time:\*\*\s+)" + CPU, lambda m: m.group(1) + stated_cpu(
        entry["cpu_seconds"]), text, count=1)


def classifier_page(text: str, times: dict) -> str:
    """minigan/classifier.py with FIRST_TRAINING's digits CNN time taken from the reference CNN's record."""
    return re.sub(r'(FIRST_TRAINING = \{"digits": "about )\d+( s")',
                  lambda m: m.group(1) + f"{times[CNN]['cpu_seconds']:.0f}" + m.group(2), text)


def pages(times: dict) -> dict:
    """{path: its text rewritten from ``times``} for every page that states a time (each lesson's script too)."""
    found = {INDEX: index_page(INDEX.read_text(encoding="utf-8"), times),
             README: readme_page(README.read_text(encoding="utf-8"), times),
             CLASSIFIER: classifier_page(CLASSIFIER.read_text(encoding="utf-8"), times)}
    for script in sorted(DEMOS.glob("[0-9][0-9]_*.py")):
        if script.stem in times:
            found[script] = lesson_page(script.read_text(encoding="utf-8"), times[script.stem])
    return found


def write_pages(times: dict) -> list[Path]:
    """Rewrite every page from ``times``; the notebooks of the lessons whose script changed are written again."""
    changed = []
    for path, text in pages(times).items():
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    scripts = [p for p in changed if p.parent == DEMOS and p.suffix == ".py"]
    if scripts:
        import importlib.util

        spec = importlib.util.spec_from_file_location("make_notebooks", DEMOS / "make_notebooks.py")
        make = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(make)
        changed += [make.write(script) for script in scripts]
    return changed


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("which", nargs="*", metavar="NN",
                   help="two-digit lesson numbers, or 'cnn' for the reference CNN (default: every lesson and the "
                        "reference CNN)")
    p.add_argument("--cache", default=None,
                   help="use (and keep) this classifier cache instead of an empty one: a lesson after the models it "
                        "needs were trained (each entry lists what the cache held)")
    p.add_argument("--pages", action="store_true",
                   help="measure nothing: rewrite the times the pages state from demos/lesson_times.json")
    p.add_argument("--no-pages", action="store_true", help="measure, record, and leave the pages as they are")
    args = p.parse_args(argv)
    if not args.pages:
        measure_all(args.which or [s.name[:2] for s in sorted(DEMOS.glob("[0-9][0-9]_*.py"))] + ["cnn"], args.cache)
    if not args.no_pages:
        changed = write_pages(json.loads(TIMES.read_text()))
        print("rewrote " + (", ".join(str(c.relative_to(ROOT)) for c in changed) or "nothing: every page states "
                            "the recorded times"))
    return 0


def measure_all(which: list[str], cache_dir: str | None) -> None:
    for item in which:
        if item == "cnn":
            name, command = CNN, [sys.executable, "-c", TRAIN_CNN]
        else:
            script = lesson(item)
            name, command = script.stem, [sys.executable, str(script)]
        log = Path(tempfile.gettempdir()) / f"lesson_times_{name}.log"
        cache = None
        if cache_dir:
            Path(cache_dir).expanduser().mkdir(parents=True, exist_ok=True)
            cache = str(Path(cache_dir).expanduser())
        entry = measure(command, cache, log, lesson_run=item != "cnn")
        stored = json.loads(TIMES.read_text()) if TIMES.exists() else {}  # read now: kept entries stay current
        stored[name] = entry
        TIMES.write_text(json.dumps(dict(sorted(stored.items())), indent=1) + "\n")
        print(f"{name}: {entry['cpu_seconds']} s of CPU ({entry['user_seconds']} user, {entry['system_seconds']} "
              f"system), {entry['wall_seconds']} s wall, load {entry['load_before']} before and "
              f"{entry['load_mean']} on average, on {entry['cores']} cores; output in {log}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
