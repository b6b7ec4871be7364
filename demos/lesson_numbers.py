"""Regenerate the numbers the lesson pages state, from a clean state: demos/numbers.json.

    python demos/lesson_numbers.py            # every lesson (about LONG minutes on a 2-core CPU)
    python demos/lesson_numbers.py 06 17      # only these lessons (the others' entries are kept)

Each lesson runs at its default settings, seed 0, with an empty classifier cache of its own (a lesson that needs
the reference classifier trains it, as on a fresh machine) and its output in a temporary folder. Every number it
returns (``run()``'s result; for a lesson written as top-level cells, its module's variables) is flattened to
``"key.subkey": value`` and stored with the run's wall and CPU seconds. demos/README.md quotes these numbers; the
slow test ``tests/test_demos.py::test_stated_numbers_reproduce`` reruns each lesson and compares.
"""

from __future__ import annotations

import argparse
import importlib.util
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


def lesson(number: str) -> Path:
    found = sorted(DEMOS.glob(f"{number}_*.py"))
    if not found:
        raise SystemExit(f"lesson_numbers: no lesson numbered {number} in {DEMOS}")
    return found[0]


def measure(script: Path, out_dir: Path) -> dict:
    """Run one lesson quietly at its defaults; its numbers, flattened."""
    out_dir.mkdir(parents=True, exist_ok=True)
    spec = importlib.util.spec_from_file_location(f"lesson_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    source = script.read_text()
    if "\ndef run(" in source:
        spec.loader.exec_module(module)
        result = module.run(out_dir=out_dir, verbose=False)
    else:  # a lesson written as top-level cells: its variables are its results
        env = dict(os.environ)
        os.environ["MINIGAN_DEMO_OUT"] = str(out_dir)
        try:
            variables = runpy.run_path(str(script), run_name="lesson")
        finally:
            os.environ.clear()
            os.environ.update(env)
        result = {k: v for k, v in variables.items() if not k.startswith("_") and k.isidentifier() and k.islower()}
    return flatten(result)


def regenerate(numbers: list[str], cache: str | None = None) -> dict:
    stored = json.loads(NUMBERS.read_text()) if NUMBERS.exists() else {}
    for number in numbers:
        script = lesson(number)
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["MINIGAN_CACHE"] = cache or str(Path(tmp) / "cache")  # a clean state: nothing trained yet
            wall, cpu = time.perf_counter(), time.process_time()
            found = measure(script, Path(tmp) / "out")
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        stored[script.stem] = {"wall_seconds": round(wall, 1), "cpu_seconds": round(cpu, 1), "numbers": found}
        print(f"{script.stem}: {len(found)} numbers, {wall:.0f} s wall, {cpu:.0f} s CPU", flush=True)
        NUMBERS.write_text(json.dumps(dict(sorted(stored.items())), indent=1, ensure_ascii=False) + "\n")
    return stored


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("numbers", nargs="*", help="two-digit lesson numbers (default: all)")
    p.add_argument("--cache", default=None, help="reuse this classifier cache instead of an empty one")
    args = p.parse_args(argv)
    numbers = args.numbers or [s.name[:2] for s in sorted(DEMOS.glob("[0-9][0-9]_*.py"))]
    regenerate(numbers, args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
