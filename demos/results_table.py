"""The results table: each algorithm × dataset × metric, mean ± standard error over seeds.

    python demos/results_table.py                       # 5 seeds, the recipes' default steps
    python demos/results_table.py --seeds 2 --steps 4000 --only ring grid

Every run is a fresh ``build_experiment(...)`` trained for the same number of steps; every seed is
reported (no cherry-picking). Only the datasets that ran are rewritten: their tables are merged into
demos/results.md and into the README's "Results" section (between ``<!-- results:NAME -->`` markers),
so ``--only digits`` leaves the ring and grid tables as they were, and the reverse.
"""

import argparse
import math
import re
import sys
import time
from pathlib import Path

from minigan.backend import np
from minigan.gans.recipes import build_experiment

# (row name, algorithm, data, overrides)
RUNS = [
    ("gan (plain)", "gan", "ring", {}),
    ("gan + PacGAN pack=2", "gan", "ring", {"pack": 2}),
    ("wgan", "wgan", "ring", {}),
    ("gan (plain)", "gan", "grid", {}),
    ("gan + PacGAN pack=2", "gan", "grid", {"pack": 2}),
    ("wgan", "wgan", "grid", {}),
    ("cgan (MLP)", "cgan", "digits", {}),
]
DATASETS = ("ring", "grid", "digits")
MIXTURE_KEYS = [("modes_covered", "modes", 1.0), ("high_quality", "% high quality", 100.0),
                ("reverse_kl", "reverse KL", 1.0)]
IMAGE_KEYS = [("conditional_accuracy", "cond. accuracy %", 100.0), ("classes_covered", "classes", 1.0),
              ("frechet_distance", "Fréchet distance", 1.0)]
HEADER = ["# minigan results", "",
          "Mean ± standard error over seeds 0..N−1 (every seed reported, none dropped); "
          "2-D mixtures: 2,500 samples, VEEGAN/PacGAN protocol (high quality = within 3σ of a mode). "
          "Wall time per run on the machine that ran the table (NumPy backend, CPU). Each section says "
          "the command that produced it.", ""]
README = Path(__file__).resolve().parent.parent / "README.md"


def mean_se(values):
    v = np.asarray(values, dtype=np.float64)
    se = v.std(ddof=1) / math.sqrt(v.size) if v.size > 1 else float("nan")
    return v.mean(), se


def fmt(values, scale):
    if not values:
        return "n/a"
    m, se = mean_se([x * scale for x in values])
    return f"{m:.3g} ± {se:.2g}" if math.isfinite(se) else f"{m:.3g}"


def run_one(algorithm, data, seed, steps, overrides):
    exp = build_experiment(algorithm, data, seed=seed, **overrides)
    n = steps or exp.default_steps
    t0 = time.perf_counter()
    for _ in range(n):
        out = exp.train_step(n)
    seconds = time.perf_counter() - t0
    metrics = exp.evaluate()
    metrics["last_losses"] = out
    return metrics, seconds, n


def table(rows, command):
    """The markdown table of one dataset's rows, and the command that made it."""
    keys = rows[0][4]
    lines = ["| algorithm | steps | seeds | " + " | ".join(h for _, h, _ in keys) + " | wall time per run (s) |",
             "|" + "---|" * (len(keys) + 4)]
    for name, n, seeds, cells, _, times in rows:
        lines.append(f"| {name} | {n} | {seeds} | " + " | ".join(cells) + f" | {fmt(times, 1.0)} |")
    return "\n".join(lines + ["", f"Made by `{command}` on {time.strftime('%Y-%m-%d')}."])


def merge(text, name, block, heading):
    """``text`` with the block between ``<!-- results:name -->`` markers replaced by ``block``;
    a missing block is appended (after ``heading``). Every other block is left as it was."""
    start, end = f"<!-- results:{name} -->", f"<!-- /results:{name} -->"
    new = f"{start}\n{block}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: new, text, count=1)
    return text.rstrip("\n") + f"\n\n{heading} {name}\n\n{new}\n"


def merge_readme(text, name, block):
    """The README with only ``name``'s table (inside its "## Results" section) replaced."""
    if f"<!-- results:{name} -->" in text:
        return merge(text, name, block, "###")
    # no block yet: append one at the end of the Results section (before the next "## " heading)
    start = text.find("\n## Results")
    if start < 0:
        return text.rstrip("\n") + f"\n\n## Results\n\n### {name}\n\n<!-- results:{name} -->\n{block}\n" \
                                   f"<!-- /results:{name} -->\n"
    nxt = text.find("\n## ", start + 1)
    nxt = len(text) if nxt < 0 else nxt
    section = merge(text[start:nxt], name, block, "###")
    return text[:start] + section.rstrip("\n") + "\n" + text[nxt:]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--steps", type=int, default=None, help="steps per run (default: each recipe's)")
    p.add_argument("--only", nargs="*", default=None, choices=DATASETS, help="datasets to run")
    p.add_argument("--out", default=str(Path(__file__).with_name("results.md")))
    p.add_argument("--readme", default=str(README), help="README to update ('' to leave it alone)")
    args = p.parse_args(argv)
    command = "python demos/results_table.py " + " ".join(argv if argv is not None else sys.argv[1:])
    rows = {}
    for name, algorithm, data, overrides in RUNS:
        if args.only and data not in args.only:
            continue
        per_seed, times = [], []
        for seed in range(args.seeds):
            metrics, seconds, n = run_one(algorithm, data, seed, args.steps, overrides)
            per_seed.append(metrics)
            times.append(seconds)
            shown = {k: metrics.get(k) for k, _, _ in MIXTURE_KEYS + IMAGE_KEYS if k in metrics}
            print(f"{name} on {data}, seed {seed}: {n} steps in {seconds:.0f} s: {shown}", flush=True)
        keys = MIXTURE_KEYS if data in ("ring", "grid") else IMAGE_KEYS
        cells = [fmt([m[k] for m in per_seed if k in m], scale) for k, _, scale in keys]
        rows.setdefault(data, []).append((name, n, len(per_seed), cells, keys, times))

    out = Path(args.out)
    text = out.read_text() if out.exists() else "\n".join(HEADER)
    readme = Path(args.readme) if args.readme else None
    readme_text = readme.read_text() if readme and readme.exists() else None
    for data in DATASETS:
        if data in rows:
            block = table(rows[data], command.strip())
            text = merge(text, data, block, "##")
            if readme_text is not None:
                readme_text = merge_readme(readme_text, data, block)
            print(f"\n## {data}\n\n{block}")
    out.write_text(text.rstrip("\n") + "\n")
    if readme_text is not None:
        readme.write_text(readme_text)


if __name__ == "__main__":
    main()
