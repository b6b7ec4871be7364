"""Regenerate what the lesson pages state, from a clean state: demos/numbers.json.

    python demos/lesson_numbers.py            # every lesson (the sum of the times demos/README.md gives)
    python demos/lesson_numbers.py 06 17      # only these lessons (the others' entries are kept)
    python demos/lesson_numbers.py 10 --figures   # and publish this run's figure (refresh_figures.py's job)
    OPENBLAS_CORETYPE=Haswell python demos/lesson_numbers.py 17 --pool   # add a second kernel set's run to 17's

Each lesson runs at its default settings with an empty classifier cache of its own (a lesson that needs the
reference classifier trains it, as on a fresh machine) and its output in a temporary folder. For each lesson the
index records:

- ``verdict``: the outcome it printed ("holds", "holds partly" or "does not hold here") and ``verdict_line``, the
  whole line;
- ``numbers``: every number it returns (``run()``'s result; for a lesson written as top-level cells, its
  ``results`` dict if it has one, else its module's variables), flattened to ``"key.subkey": value``;
- ``spreads``: every number measured over seeds (a ``lessons.spread(...)`` dict: median, min, max, n, per_seed),
  by its key;
- ``kernels``: the kernel set it was measured on: the backend (and the GPU's name on CuPy), the BLAS library and
  the core type OpenBLAS chose
  (threadpoolctl's ``architecture``, e.g. "SkylakeX" for AVX-512, "Haswell" for AVX2), and ``OPENBLAS_CORETYPE``
  when it was set (``OPENBLAS_CORETYPE=Haswell python demos/lesson_numbers.py 10`` measures on the AVX2 kernels);
- the run's wall and CPU seconds.

``--pool`` measures the lesson again on the kernel set of this command and pools that run into the stored entry,
measured on another kernel set (run it once per further kernel set). The two runs must print the same verdict (if
not, the claim is not robust and nothing is written). The pooled entry lists both kernel sets under ``kernels``
and keeps each run (its kernel set, verdict line, numbers, times) under ``runs``; each spread becomes the spread over
seeds AND kernel sets: ``per_seed`` holds every run's per-seed values, ``min``/``max``/``median`` are taken over all
of them, and ``n`` stays the seeds of ONE run (each kernel set ran the same seeds). A number that is not a spread but
differs between the runs (the kernels, not the seed, moved it) becomes a spread of its values, one a run (``n`` 1).
To measure both kernel sets at once, write one to another file and pool it in afterwards, measuring nothing:

    OPENBLAS_CORETYPE=Haswell python demos/lesson_numbers.py 17 --numbers /tmp/haswell.json
    python demos/lesson_numbers.py 17 --pool-from /tmp/haswell.json

The contract the slow test ``tests/product/test_demos.py::test_stated_verdict_and_numbers_reproduce`` checks: a fresh
run
prints the same verdict; each spread's fresh median lies in the stored [min, max] widened on each side by a tenth
of its width (and by 1e-6 of its size, so a spread of one value must be met to round-off), with the same number of
seeds; every other number is exact (relative 1e-6): a number that training moves must be given as a spread. For a
pooled entry the stored range is the range over every seed on every kernel set pooled, so a fresh run on any of
them must fall inside it; the widening is the same.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import math
import os
import runpy
import sys
import tempfile
import time
from pathlib import Path

DEMOS = Path(__file__).resolve().parent
NUMBERS = DEMOS / "numbers.json"
SKIP = ("seconds", "time", "figure", "gif", "path", "png")  # keys that are not results
SKIP_EXACT = {"t0"}  # a clock reading in a lesson written as top-level cells


def flatten(value, prefix="", out=None, depth=0) -> dict:
    """The numbers in ``value`` (dicts, short lists, scalars), as {"a.b.0": number}; arrays and long lists skipped."""
    out = {} if out is None else out
    if isinstance(value, bool):
        out[prefix] = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out[prefix] = None if isinstance(value, float) and not math.isfinite(value) else value
    elif hasattr(value, "dtype") and getattr(value, "size", 2) == 1 and getattr(value, "ndim", 1) == 0:
        out[prefix] = value.item()
    elif isinstance(value, dict) and depth < 4:
        for k, v in value.items():
            if not any(s in str(k).lower() for s in SKIP) and str(k) not in SKIP_EXACT:
                flatten(v, f"{prefix}.{k}" if prefix else str(k), out, depth + 1)
    elif isinstance(value, (list, tuple)) and len(value) <= 12 and depth < 4:
        for i, v in enumerate(value):
            flatten(v, f"{prefix}.{i}", out, depth + 1)
    return out


SPREAD_KEYS = {"median", "min", "max", "n", "per_seed"}
VERDICT_PREFIX = "verdict: "


def is_spread(value) -> bool:
    """True for a number measured over seeds, as ``minigan.lessons.spread`` returns it."""
    return isinstance(value, dict) and SPREAD_KEYS <= set(value)


def spreads(value, prefix="", out=None, depth=0) -> dict:
    """The spreads in ``value``, by their flattened key: {"a.b": {"median", "min", "max", "n"}}."""
    out = {} if out is None else out
    if is_spread(value):
        out[prefix] = {k: float(value[k]) if k != "n" else int(value[k]) for k in ("median", "min", "max", "n")}
        out[prefix]["per_seed"] = [float(v) for v in value["per_seed"]]
    elif isinstance(value, dict) and depth < 4:
        for k, v in value.items():
            if not any(s in str(k).lower() for s in SKIP) and str(k) not in SKIP_EXACT:
                spreads(v, f"{prefix}.{k}" if prefix else str(k), out, depth + 1)
    elif isinstance(value, (list, tuple)) and len(value) <= 12 and depth < 4:
        for i, v in enumerate(value):
            spreads(v, f"{prefix}.{i}", out, depth + 1)
    return out


def outcome_of(line: str) -> str | None:
    """"holds partly" from "verdict: holds partly — why"; None when ``line`` is not a verdict line."""
    if not isinstance(line, str) or not line.startswith(VERDICT_PREFIX):
        return None
    return line[len(VERDICT_PREFIX):].split(" — ")[0].strip()


def find_verdict(result: dict, printed: str) -> str | None:
    """The verdict line of a run: its result's "verdict" (the line ``lessons.verdict`` returns), else the last
    verdict line it printed, else a line made from its result's outcome word ("verdict" or "outcome", one of
    ``lessons.VERDICTS``) and its "why"."""
    line = result.get("verdict")
    if outcome_of(line):
        return line
    lines = [t for t in printed.splitlines() if outcome_of(t)]
    if lines:
        return lines[-1]
    from minigan.lessons import VERDICTS

    for key in ("verdict", "outcome"):
        word = result.get(key)
        if word in VERDICTS:
            why = result.get("why")
            if outcome_of(why) == word:  # "why" may be the whole line lessons.verdict printed
                return why
            return f"{VERDICT_PREFIX}{word}" + (f" — {why}" if isinstance(why, str) and why else "")
    return None


def kernels() -> dict:
    """The kernel set numbers are measured on: the backend, the BLAS and OpenBLAS's core type (threadpoolctl)."""
    from threadpoolctl import threadpool_info

    from minigan import cuda
    from minigan.engine import backend

    found = {"backend": backend.backend_name(), "blas": None, "core": None,
             "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE") or None}
    if found["backend"] == "cupy":  # the numbers come from the GPU's kernels
        found["gpu"] = cuda.get_device_name()
    for lib in threadpool_info():
        if lib.get("user_api") == "blas":
            found["blas"] = f"{lib.get('internal_api')} {lib.get('version')}"
            found["core"] = lib.get("architecture")
            break
    return found


def lesson(number: str) -> Path:
    found = sorted(DEMOS.glob(f"{number}_*.py"))
    if not found:
        raise SystemExit(f"lesson_numbers: no lesson numbered {number} in {DEMOS}")
    return found[0]


class _Tee(io.TextIOBase):
    """Write to the terminal and keep a copy (a lesson's printed verdict is read from the copy)."""

    def __init__(self, stream):
        self.stream, self.copy = stream, io.StringIO()

    def write(self, text):
        self.copy.write(text)
        return self.stream.write(text)

    def flush(self):
        self.stream.flush()


def results_of(script: Path, out_dir: Path) -> dict:
    """Run one lesson at its defaults; what it returns (``run()``'s dict, or a top-level lesson's results)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    source = script.read_text()
    if "\ndef run(" in source:
        spec = importlib.util.spec_from_file_location(f"lesson_{script.stem}", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.run(out_dir=out_dir, verbose=False)
    # a lesson written as top-level cells: its ``results`` dict, else its variables
    env = dict(os.environ)
    os.environ["MINIGAN_DEMO_OUT"] = str(out_dir)
    try:
        variables = runpy.run_path(str(script), run_name="lesson")
    finally:
        os.environ.clear()
        os.environ.update(env)
    if isinstance(variables.get("results"), dict):
        return variables["results"]
    return {k: v for k, v in variables.items() if not k.startswith("_") and k.isidentifier() and k.islower()}


def measure(script: Path, out_dir: Path, figures: bool = False) -> dict:
    """Run one lesson at its defaults: {"verdict", "verdict_line", "numbers", "spreads"}. With ``figures``, the
    same run's key figure (and animation) is published to demos/figures/ as ``refresh_figures.py`` would."""
    tee = _Tee(sys.stdout)
    with contextlib.redirect_stdout(tee):
        result = results_of(script, out_dir)
    line = find_verdict(result, tee.copy.getvalue())
    if figures:
        publish_figure(script, result)
    return {"verdict": outcome_of(line) if line else None, "verdict_line": line,
            "numbers": flatten(result), "spreads": spreads(result)}


def publish_figure(script: Path, result: dict) -> None:
    """Copy the key figure of this run (its result's "figure", and "gif") into demos/figures/, with its alternative
    text, as ``python demos/refresh_figures.py NN`` does after a run of its own: the figure shows the numbers
    recorded."""
    spec = importlib.util.spec_from_file_location("refresh_figures", DEMOS / "refresh_figures.py")
    refresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(refresh)
    if result.get("figure") is None:
        print(f"{script.name}: no key figure to publish")
        return
    print(f"wrote {refresh.publish(result['figure'], script.stem).relative_to(DEMOS.parent)}")
    if result.get("gif") is not None:
        target = refresh.FIGURES / f"{script.stem}.gif"
        target.write_bytes(Path(result["gif"]).read_bytes())
        print(f"wrote {target.relative_to(DEMOS.parent)}")


def _runs_of(entry: dict) -> list[dict]:
    """The runs an entry pools: its ``runs``, or (an entry measured once) the entry itself as its one run."""
    if "runs" in entry:
        return entry["runs"]
    return [{k: entry[k] for k in ("kernels", "verdict", "verdict_line", "wall_seconds", "cpu_seconds", "numbers",
                                   "spreads") if k in entry}]


def pool(entry: dict, run: dict) -> dict:
    """``entry`` (one run, or runs already pooled) with ``run``, measured on another kernel set, pooled in:
    every spread over the seeds of every run, a plain number the runs disagree on as a spread of one value a run.
    Raises ValueError when ``run``'s kernel set is already in ``entry``, or when the verdicts differ."""
    from minigan.lessons import spread

    runs = _runs_of(entry)
    if any(r["kernels"] == run["kernels"] for r in runs):
        raise ValueError(f"already measured on {run['kernels']}: run without --pool to measure it afresh, then "
                         f"--pool under the other kernel set")
    if run["verdict"] != runs[0]["verdict"]:
        raise ValueError(f"verdict {run['verdict']!r} on {run['kernels']}, {runs[0]['verdict']!r} on "
                         f"{runs[0]['kernels']}: the claim is not robust to the kernel set; nothing pooled")
    runs = [*runs, run]
    pooled_spreads = {}
    for key in runs[0]["spreads"]:
        each = [r["spreads"].get(key) for r in runs]
        if any(s is None or "per_seed" not in s for s in each):
            raise ValueError(f"{key}: a spread without its per-seed values in one run; measure it afresh")
        if len({s["n"] for s in each}) != 1:
            raise ValueError(f"{key}: measured over {[s['n'] for s in each]} seeds; pool runs of the same seeds")
        values = [v for s in each for v in s["per_seed"]]
        pooled_spreads[key] = {**spread(values), "n": each[0]["n"]}  # n: the seeds of one run
    inside = tuple(f"{key}." for key in pooled_spreads)
    numbers = {}
    for key, value in runs[0]["numbers"].items():
        if key.startswith(inside):
            continue  # a spread's values: pooled above
        values = [r["numbers"].get(key) for r in runs]
        same = all(v == value or (isinstance(v, float) and isinstance(value, float)
                                  and math.isclose(v, value, rel_tol=1e-6, abs_tol=1e-7)) for v in values)
        if same or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            numbers[key] = value
        else:  # the kernel set moved it: its spread over the runs
            pooled_spreads[key] = {**spread(values), "n": 1}
    numbers = {**flatten(pooled_spreads), **numbers}  # every number, as a run's entry holds it
    return {"kernels": [r["kernels"] for r in runs], "verdict": runs[0]["verdict"],
            "verdict_line": runs[0]["verdict_line"], "numbers": numbers, "spreads": pooled_spreads, "runs": runs}


def pool_from(numbers: list[str], other: Path) -> dict:
    """Pool the entries ``other`` (an index written with --numbers) holds for these lessons into the index."""
    theirs = json.loads(Path(other).read_text())
    stored = json.loads(NUMBERS.read_text())
    for number in numbers:
        stem = lesson(number).stem
        if stem not in stored or stem not in theirs:
            raise SystemExit(f"lesson_numbers: {stem} is not in both {NUMBERS} and {other}")
        try:
            for run in _runs_of(theirs[stem]):
                stored[stem] = pool(stored[stem], run)
        except ValueError as err:
            raise SystemExit(f"lesson_numbers: {stem}: {err}") from None
        print(f"{stem}: {stored[stem]['verdict']}; pooled over {[r['kernels']['core'] for r in stored[stem]['runs']]}")
    NUMBERS.write_text(json.dumps(dict(sorted(stored.items())), indent=1, ensure_ascii=False) + "\n")
    return stored


def regenerate(numbers: list[str], cache: str | None = None, pooled: bool = False, figures: bool = False) -> dict:
    for number in numbers:
        script = lesson(number)
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["MINIGAN_CACHE"] = cache or str(Path(tmp) / "cache")  # a clean state: nothing trained yet
            wall, cpu = time.perf_counter(), time.process_time()
            found = measure(script, Path(tmp) / "out", figures)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        run = {"wall_seconds": round(wall, 1), "cpu_seconds": round(cpu, 1), "kernels": kernels(), **found}
        stored = json.loads(NUMBERS.read_text()) if NUMBERS.exists() else {}  # read now: kept entries stay current
        if pooled:
            if script.stem not in stored:
                raise SystemExit(f"lesson_numbers: {script.stem} has no entry to pool into; run it without --pool")
            try:
                stored[script.stem] = pool(stored[script.stem], run)
            except ValueError as err:
                raise SystemExit(f"lesson_numbers: {script.stem}: {err}") from None
        else:
            stored[script.stem] = run
        print(f"{script.stem}: {found['verdict']}; {len(found['numbers'])} numbers ({len(found['spreads'])} "
              f"spreads over seeds), {wall:.0f} s wall, {cpu:.0f} s CPU"
              + (f"; pooled with {len(stored[script.stem]['runs']) - 1} earlier run(s)" if pooled else ""),
              flush=True)
        NUMBERS.write_text(json.dumps(dict(sorted(stored.items())), indent=1, ensure_ascii=False) + "\n")
    return stored


def compare(stated: dict, found: dict) -> list[str]:
    """What differs between an index entry and a fresh ``measure``: the verdict, a spread's median outside its
    stored range (widened by a tenth of its width and 1e-6 of its size), a seed count, or another number (rel 1e-6;
    abs 1e-7 for round-off-sized ones). A plain number a pooled entry states as its kernel sets' spread (n 1) is
    checked as that spread. Empty when the fresh run reproduces the entry."""
    differ = []
    if stated.get("verdict") is not None and found.get("verdict") != stated["verdict"]:
        differ.append(f"verdict: stated {stated['verdict']!r}, now {found.get('verdict')!r} "
                      f"({found.get('verdict_line')})")
    stated_spreads = stated.get("spreads", {})
    for key, s in stated_spreads.items():
        now = found.get("spreads", {}).get(key)
        plain = found.get("numbers", {}).get(key)
        if now is None and isinstance(plain, (int, float)) and not isinstance(plain, bool) and s["n"] == 1:
            now = {"median": plain, "n": 1}  # a plain number the kernel sets moved, stated as their spread
        if now is None:
            differ.append(f"{key}: a spread stated, none measured now")
            continue
        margin = 0.1 * (s["max"] - s["min"]) + 1e-6 * max(1.0, abs(s["min"]), abs(s["max"]))
        if not s["min"] - margin <= now["median"] <= s["max"] + margin:
            differ.append(f"{key}: median now {now['median']!r}, outside the stated {s['min']!r}–{s['max']!r}")
        if now["n"] != s["n"]:
            differ.append(f"{key}: measured over {now['n']} seeds now, {s['n']} stated")
    inside = tuple(f"{key}." for key in stated_spreads)
    for key, value in stated.get("numbers", {}).items():
        if key.startswith(inside):
            continue  # a spread's median, range and seeds: checked above
        got = found.get("numbers", {}).get(key)
        if isinstance(value, float) and isinstance(got, (int, float)) and not isinstance(got, bool):
            # a gradient check's 0 can be 1e-16 in another process
            if not math.isclose(got, value, rel_tol=1e-6, abs_tol=1e-7):
                differ.append(f"{key}: stated {value!r}, now {got!r}")
        elif got != value:
            differ.append(f"{key}: stated {value!r}, now {got!r}")
    return differ


def main(argv=None) -> int:
    global NUMBERS  # --numbers FILE writes another index
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("numbers_", nargs="*", metavar="NN", help="two-digit lesson numbers (default: all)")
    p.add_argument("--cache", default=None, help="reuse this classifier cache instead of an empty one")
    p.add_argument("--pool", action="store_true",
                   help="pool this kernel set's run into the stored entry (measured on another kernel set)")
    p.add_argument("--pool-from", default=None, metavar="FILE",
                   help="measure nothing: pool these lessons' entries in FILE (written with --numbers) into the index")
    p.add_argument("--numbers", default=None, metavar="FILE", help=f"the index to write (default {NUMBERS})")
    p.add_argument("--figures", action="store_true",
                   help="publish each run's key figure to demos/figures/ (then refresh_figures.py --alt-only)")
    args = p.parse_args(argv)
    NUMBERS = Path(args.numbers) if args.numbers else NUMBERS
    numbers = args.numbers_ or [s.name[:2] for s in sorted(DEMOS.glob("[0-9][0-9]_*.py"))]
    if args.pool_from:
        pool_from(numbers, Path(args.pool_from))
    else:
        regenerate(numbers, args.cache, args.pool, args.figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
