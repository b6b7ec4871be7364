"""Refresh the committed figures, demos/figures/NN_name.png, that demos/README.md and the README show.

    python demos/refresh_figures.py            # every lesson (the long ones take minutes: see demos/README.md)
    python demos/refresh_figures.py 01 06      # only these lessons
    python demos/refresh_figures.py --alt-only # only demos/README.md's alternative texts, from what is there

Running a lesson never touches demos/figures/: it writes under demos/out/ (or --out). This script is the one
explicit way to replace a committed figure: it runs each named lesson at its default settings into
demos/out/NN_name/ and copies the lesson's key figure (the "figure" of ``run()``'s result, or of the ``results`` of a
lesson written as top-level cells) here, as a small palette PNG (and its animation, "gif", when it has one), with
the alternative text the lesson generated from the figure's numbers (NAME.alt.txt), which it then writes into
demos/README.md's image (``index_alt``: that text, or the lesson's verdict and numbers from demos/numbers.json).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from pathlib import Path

from minigan import lessons, viz
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
    """Copy ``path`` to demos/figures/<name>.png: a 256-colour palette PNG at most 1400 px wide (< 150 KB), with
    the alternative text the lesson wrote beside it (NAME.alt.txt, and in the PNG's Description)."""
    target = FIGURES / f"{name}.png"
    FIGURES.mkdir(parents=True, exist_ok=True)
    alt = viz.read_alt(path)
    if alt:
        with atomic_write(viz.alt_path(target), "w") as f:
            f.write(alt + "\n")
    try:
        from PIL import Image, PngImagePlugin
    except ImportError:  # Pillow comes with matplotlib; without it, the PNG as it is
        with atomic_write(target) as f:
            f.write(Path(path).read_bytes())
        return target
    info = PngImagePlugin.PngInfo()
    if alt:
        info.add_itxt("Description", alt)
    with Image.open(path) as im:
        im = im.convert("RGB")
        if im.width > 1400:
            im = im.resize((1400, round(im.height * 1400 / im.width)), Image.LANCZOS)
        with atomic_write(target) as f:
            im.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(f, format="PNG", optimize=True,
                                                                         pnginfo=info)
    return target


# ----------------------------------------------------------------------------- the index's alternative text
IMAGE = re.compile(r"!\[([^\]]*)\]\((figures/([^)]+)\.png)\)")


def index_alt(name: str) -> str:
    """The alternative text of demos/figures/<name>.png in the index: the text the lesson wrote from the figure's
    numbers (NAME.alt.txt, written by publish), else the lesson's verdict line and the numbers it rests on, as
    the lesson printed them (demos/numbers.json). No brackets or line breaks: it sits in a Markdown image."""
    side = viz.alt_path(FIGURES / f"{name}.png")
    if side.is_file():
        text = side.read_text(encoding="utf-8")
    else:
        record = json.loads((DEMOS / "numbers.json").read_text(encoding="utf-8")).get(name)
        if record is None:
            raise ValueError(f"no alternative text for figures/{name}.png: write figures/{name}.alt.txt "
                             "(python demos/refresh_figures.py NN does) or record the lesson in numbers.json")
        title = name[3:].replace("_", " ")
        verdict = record["verdict_line"].removeprefix("verdict: ")
        text = f"Lesson {name[:2]}'s figure ({title}), whose numbers say: {verdict}."
    return " ".join(text.replace("[", "(").replace("]", ")").split())


def refresh_index_alt(readme: Path = DEMOS / "README.md") -> int:
    """Write each figure's ``index_alt`` into demos/README.md's image alternative texts; the images changed."""
    text = readme.read_text(encoding="utf-8")
    new = IMAGE.sub(lambda m: f"![{index_alt(m.group(3))}]({m.group(2)})", text)
    if new != text:
        with atomic_write(readme, "w") as f:
            f.write(new)
    return sum(a != b for a, b in zip(IMAGE.findall(text), IMAGE.findall(new)))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("numbers", nargs="*", help="two-digit lesson numbers (default: all)")
    p.add_argument("--alt-only", action="store_true",
                   help="run no lesson: write each figure's alternative text into demos/README.md's images")
    args = p.parse_args(argv)
    if args.alt_only:
        print(f"demos/README.md: {refresh_index_alt()} alternative texts changed")
        return 0
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
    print(f"demos/README.md: {refresh_index_alt()} alternative texts changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
