"""Refresh the committed figures, demos/figures/NN_name.png, that demos/README.md and the README show.

    python demos/refresh_figures.py            # every lesson (the long ones take minutes: see demos/README.md)
    python demos/refresh_figures.py 01 06      # only these lessons

Running a lesson never touches demos/figures/: it writes under demos/out/ (or --out). This script is the one
explicit way to replace a committed figure: it runs each named lesson at its default settings into
demos/out/NN_name/ and copies the lesson's key figure (the "figure" of ``run()``'s result, or of the ``results`` of a
lesson written as top-level cells) here, as a small palette PNG (and its animation, "gif", when it has one).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from minigan import lessons
from minigan.serialization import atomic_write

DEMOS = Path(__file__).resolve().parent
FIGURES = DEMOS / "figures"


def lesson_scripts(numbers=()) -> list[Path]:
    """demos/NN_*.py, in order; only those whose number is in ``numbers`` when it is given."""
    found = sorted(DEMOS.glob("[0-9][0-9]_*.py"))
    return [s for s in found if not numbers or s.name[:2] in numbers]


def load(script: Path):
    spec = importlib.util.spec_from_file_location(f"lesson_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def publish(path: Path, name: str) -> Path:
    """Copy ``path`` to demos/figures/<name>.png: a 256-colour palette PNG at most 1400 px wide (< 150 KB)."""
    target = FIGURES / f"{name}.png"
    FIGURES.mkdir(parents=True, exist_ok=True)
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with matplotlib; without it, the PNG as it is
        with atomic_write(target) as f:
            f.write(Path(path).read_bytes())
        return target
    with Image.open(path) as im:
        im = im.convert("RGB")
        if im.width > 1400:
            im = im.resize((1400, round(im.height * 1400 / im.width)), Image.LANCZOS)
        with atomic_write(target) as f:
            im.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(f, format="PNG", optimize=True)
    return target


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("numbers", nargs="*", help="two-digit lesson numbers (default: all)")
    args = p.parse_args(argv)
    scripts = lesson_scripts(set(args.numbers))
    if not scripts:
        p.error(f"no lesson numbered {', '.join(args.numbers)} in {DEMOS}")
    for script in scripts:
        module = load(script)  # a lesson written as top-level cells runs here, into demos/out/NN_name/
        result = module.run(out_dir=lessons.out_dir(script.stem)) if hasattr(module, "run") else \
            getattr(module, "results", None)
        if not isinstance(result, dict):
            print(f"{script.name}: no run() and no results; its figures stay under "
                  f"{lessons.default_out() / script.stem}")
            continue
        if result.get("figure") is None:
            print(f"{script.name}: no key figure")
            continue
        print(f"wrote {publish(result['figure'], script.stem).relative_to(DEMOS.parent)}")
        if result.get("gif") is not None:  # an animation, as it is (lesson 02's backward pass, step by step)
            target = FIGURES / f"{script.stem}.gif"
            with atomic_write(target) as f:
                f.write(Path(result["gif"]).read_bytes())
            print(f"wrote {target.relative_to(DEMOS.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
