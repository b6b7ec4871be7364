"""The results table: each algorithm × dataset × metric, mean ± standard error over seeds.

    python demos/results_table.py                       # 5 seeds, the recipes' default steps
    python demos/results_table.py --seeds 2 --steps 4000 --only ring grid

Every run is a fresh ``build_experiment(...)`` trained for the same number of steps; every seed is
reported (no cherry-picking). Only the datasets that ran are rewritten: their tables are merged into
demos/results.md (and, with ``--readme PATH``, into that file between ``<!-- results:NAME -->`` markers),
so ``--only digits`` leaves the ring and grid tables as they were, and the reverse.
"""

import argparse
import math
import re
import sys
import time
from pathlib import Path

from minigan.engine.backend import np
from minigan.engine.grad_mode import no_grad
from minigan.gans.recipes import PLAIN_GAN, build_experiment
from minigan.serialization import atomic_write

# (key, row name, algorithm, data, overrides); --row-seeds/--row-steps KEY=N change one row's protocol
RUNS = [
    # The gan rows on 2-D data pin the plain GAN's z ~ N(0, I) and D at G's rate, the settings they were measured
    # with (the recipe's prior is now uniform).
    ("plain", "gan (plain)", "gan", "ring", {**PLAIN_GAN, "steps": 10_000}),  # the recipe packs
    ("pacgan4", "gan + PacGAN pack=4, 20k steps (best, `--pack 4 --steps 20000 --prior normal`)", "gan", "ring",
     {**PLAIN_GAN, "pack": 4, "steps": 20_000}),
    ("wgan", "wgan", "wgan", "ring", {}),
    ("wgan-gp", "wgan-gp (λ = 0.1, the 2-D recipe with the mixture's batch and data scale)", "wgan-gp", "ring", {}),
    ("began", "began (γ = 0.5, the 2-D recipe)", "began", "ring", {}),
    ("ebgan", "ebgan (the 2-D recipe: an MLP auto-encoder D with a 2-unit code, m = 0.1, the pulling-away term at "
     "0.1)", "ebgan", "ring", {}),
    ("ali", "ali (the 2-D recipe: BiGAN's deterministic encoder, D on (x, z) pairs)", "ali", "ring", {}),
    # The VAE and the adversarial autoencoder beside the GANs: samples are the decoder's means for z ~ N(0, I)
    ("vae", "vae (Kingma & Welling 2014: a Normal P(x|z) with a learned σ, 2-D z, the 2-D recipe)", "vae", "ring", {}),
    ("aae", "aae (Makhzani et al. 2016: z ~ N(0, I), D on z, the universal approximator posterior, the 2-D recipe)",
     "aae", "ring", {}),
    ("plain", "gan (plain)", "gan", "grid", {**PLAIN_GAN, "steps": 10_000}),
    ("pacgan4", "gan + PacGAN pack=4, 20k steps (the ring's best recipe)", "gan", "grid",
     {**PLAIN_GAN, "pack": 4, "steps": 20_000}),
    ("pacgan2", "gan + PacGAN pack=2, batch 512, 40k steps", "gan", "grid",
     {**PLAIN_GAN, "pack": 2, "batch_size": 512, "steps": 40_000}),
    ("pacgan4b512", "gan + PacGAN pack=4, batch 512, 60k steps", "gan", "grid",
     {**PLAIN_GAN, "pack": 4, "batch_size": 512, "steps": 60_000}),
    ("pacgan4b512_80k",
     "gan + PacGAN pack=4, batch 512, 80k steps (best, `--pack 4 --batch-size 512 --steps 80000 --prior normal`)",
     "gan", "grid", {**PLAIN_GAN, "pack": 4, "batch_size": 512, "steps": 80_000}),
    ("wgan", "wgan", "wgan", "grid", {}),
    # measured before the recipe's steps grew with the mode count (750 a mode: 18,750 here): the 6,000 it had then
    ("wgan-gp", "wgan-gp (λ = 0.1, the 2-D recipe with the mixture's batch and data scale)", "wgan-gp", "grid",
     {"steps": 6_000}),
    ("began", "began (γ = 0.5, the 2-D recipe)", "began", "grid", {}),
    ("vae", "vae (Kingma & Welling 2014: a Normal P(x|z) with a learned σ, 2-D z, the 2-D recipe)", "vae", "grid", {}),
    ("aae", "aae (Makhzani et al. 2016: z ~ N(0, I), D on z, the universal approximator posterior, the 2-D recipe)",
     "aae", "grid", {}),
    ("plain", "gan (DCGAN-style conv, unconditional)", "gan", "digits", {}),
    ("wgan", "wgan (MLP, the paper's α, c, n_critic)", "wgan", "digits", {}),
    ("cgan", "cgan (DCGAN-style conv, the default recipe)", "cgan", "digits", {}),
    ("wgan-gp", "wgan-gp (conv critic, the paper's λ, n_critic, Adam)", "wgan-gp", "digits", {}),
    ("began", "began (conv G, MLP auto-encoder D, γ = 1.0, the paper's λ_k)", "began", "digits", {}),
    ("vae", "vae (Kingma & Welling 2014: MLP encoder and decoder, a Bernoulli per pixel, 8-D z)", "vae",
     "digits", {}),
    ("aae", "aae (Makhzani et al. 2016: MLP encoder and decoder, a deterministic encoder, 8-D z, D on z)", "aae",
     "digits", {}),
    ("dcgan", "gan (DCGAN: Radford et al. 2016's recipe, batch norm in G and D)", "gan", "fashion-mnist", {}),
    ("cgan", "cgan (the DCGAN recipe + labels)", "cgan", "fashion-mnist", {}),
    ("wgan", "wgan (DCGAN critic, the paper's α, c, n_critic)", "wgan", "fashion-mnist", {}),
    ("wgan-gp", "wgan-gp (DCGAN critic without batch norm, the paper's λ, n_critic, Adam)", "wgan-gp",
     "fashion-mnist", {}),
]
DATASETS = ("ring", "grid", "digits", "fashion-mnist")
# Data sets whose first seed's samples are saved, one grid per row: figures/results_<data>_<key>.png
GRID_DATASETS = ("fashion-mnist",)
FIGURES = Path(__file__).resolve().parent / "figures"
MIXTURE_KEYS = [("modes_covered", "modes", 1.0), ("high_quality", "% high quality", 100.0),
                ("reverse_kl", "reverse KL", 1.0)]
IMAGE_KEYS = [("conditional_accuracy", "cond. accuracy %", 100.0), ("classes_covered", "classes", 1.0),
              ("kl_to_uniform", "KL to uniform", 1.0), ("frechet_distance", "Fréchet distance", 1.0),
              ("frechet_floor", "real-vs-real floor", 1.0)]
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


def run_one(algorithm, data, seed, steps, overrides, grid=None):
    """Train one run; ``grid``: a PNG path for 10 samples per class (cgan) or 100 samples of the generator."""
    exp = build_experiment(algorithm, data, seed=seed, **overrides)
    n = steps or exp.default_steps
    t0 = time.perf_counter()
    for _ in range(n):
        out = exp.train_step(n)
    seconds = time.perf_counter() - t0
    metrics = exp.evaluate()
    metrics["last_losses"] = out
    if grid is not None:
        from minigan import viz

        with no_grad():
            fake = exp.trainer.sample_grid(10)[0] if algorithm == "cgan" else exp.trainer.sample(100)
        viz.image_grid(fake, grid, nrow=10, value_range=(-1, 1), row_labels=range(10) if algorithm == "cgan" else None,
                       title=f"{algorithm} on {data}, seed {seed}, {n} steps")
    return metrics, seconds, n


def run_all(jobs, processes):
    """``run_one(*job)`` for every job, in order: one after another, or in ``processes`` processes at once (each
    run is seeded on its own, so the numbers are the same either way; the wall times are not)."""
    if processes <= 1:
        return [run_one(*job) for job in jobs]
    from multiprocessing import get_context

    with get_context("spawn").Pool(processes) as pool:
        return pool.starmap(run_one, jobs)


def table(rows, command):
    """The markdown table of one dataset's rows, and the command that made it."""
    keys = rows[0][4]
    lines = ["| algorithm | steps | seeds | " + " | ".join(h for _, h, _ in keys) + " | wall time per run (s) |",
             "|" + "---|" * (len(keys) + 4)]
    for name, n, seeds, cells, _, times in rows:
        lines.append(f"| {name} | {n} | {seeds} | " + " | ".join(cells) + f" | {fmt(times, 1.0)} |")
    return "\n".join(lines + ["", f"Made by `{command}` on {time.strftime('%Y-%m-%d')}."])


def merge_rows(old_block, new_block, data):
    """``new_block``'s rows replacing same-named rows of ``old_block`` (the others kept, in ``data``'s RUNS order),
    with both blocks' "Made by" lines, so ``--rows KEY`` reruns one row without rerunning the rest."""
    def split(block):
        rows, notes = {}, []
        for line in block.splitlines():
            if line.startswith("| ") and not line.startswith("| algorithm |"):
                rows[line.split(" | ")[0][2:]] = line
            elif line.startswith("Made by"):
                notes.append(line)
        return rows, notes

    (old_rows, old_notes), (new_rows, new_notes) = split(old_block), split(new_block)
    rows = {**old_rows, **new_rows}
    known = [name for _, name, _, d, _ in RUNS if d == data]
    order = [name for name in known if name in rows] + [name for name in rows if name not in known]
    head = new_block.splitlines()[:2]
    notes = [n for n in old_notes if n not in new_notes] + new_notes
    return "\n".join(head + [rows[n] for n in order] + [""] + notes)


def block_pattern(name):
    """Matches ``name``'s block with its markers; group 1 is the block inside them."""
    return re.compile(re.escape(f"<!-- results:{name} -->\n") + r"(.*?)\n" + re.escape(f"<!-- /results:{name} -->"),
                      re.S)


def block_of(text, name):
    """The block between ``<!-- results:name -->`` markers, or None."""
    found = block_pattern(name).search(text)
    return found.group(1) if found else None


def merge(text, name, block, heading):
    """``text`` with the block between ``<!-- results:name -->`` markers replaced by ``block``;
    a missing block is appended (after ``heading``). Every other block is left as it was."""
    new = f"<!-- results:{name} -->\n{block}\n<!-- /results:{name} -->"
    pattern = block_pattern(name)
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
    p.add_argument("--row-seeds", nargs="*", default=[], metavar="KEY=N",
                   help="seeds for one row, e.g. pacgan4=3 (keys: " + " ".join(dict.fromkeys(r[0] for r in RUNS)) + ")")
    p.add_argument("--row-steps", nargs="*", default=[], metavar="KEY=N", help="steps for one row, e.g. wgan=3000")
    p.add_argument("--rows", nargs="*", default=None, metavar="KEY",
                   help="run only these rows (keys as above); the table's other rows are kept as they were")
    p.add_argument("--jobs", type=int, default=1, help="seeds of a row run at once, each in its own process")
    p.add_argument("--out", default=str(Path(__file__).with_name("results.md")))
    p.add_argument("--readme", default="", help="a README whose <!-- results:NAME --> tables to update too "
                   f"(default: none; the tables live in demos/results.md), e.g. {README}")
    args = p.parse_args(argv)
    command = "python demos/results_table.py " + " ".join(argv if argv is not None else sys.argv[1:])
    row_seeds, row_steps = parse_pairs(args.row_seeds), parse_pairs(args.row_steps)
    unknown = sorted(set(args.rows or ()) - {r[0] for r in RUNS})
    if unknown:
        raise SystemExit(f"results_table: got --rows {' '.join(unknown)}, expected keys among "
                         f"{sorted({r[0] for r in RUNS})}")
    out = Path(args.out)
    readme = Path(args.readme) if args.readme else None
    for data in DATASETS:
        if args.only and data not in args.only:
            continue
        rows = []
        for key, name, algorithm, d, overrides in RUNS:
            if d != data or (args.rows is not None and key not in args.rows):
                continue
            per_seed, times = [], []
            seeds = range(row_seeds.get(key, args.seeds))
            jobs = [(algorithm, data, seed, row_steps.get(key, args.steps), overrides,
                     FIGURES / f"results_{data}_{key}.png" if data in GRID_DATASETS and seed == 0 else None)
                    for seed in seeds]
            for seed, (metrics, seconds, n) in zip(seeds, run_all(jobs, args.jobs)):
                per_seed.append(metrics)
                times.append(seconds)
                shown = {k: metrics.get(k) for k, _, _ in MIXTURE_KEYS + IMAGE_KEYS if k in metrics}
                print(f"{name} on {data}, seed {seed}: {n} steps in {seconds:.0f} s: {shown}", flush=True)
            keys = MIXTURE_KEYS if data in ("ring", "grid") else IMAGE_KEYS
            cells = [fmt([m[k] for m in per_seed if k in m], scale) for k, _, scale in keys]
            rows.append((name, n, len(per_seed), cells, keys, times))
        # write each dataset as soon as it is done (an interrupted table keeps what finished)
        if not rows:
            continue
        block = table(rows, command.strip())
        text = out.read_text() if out.exists() else "\n".join(HEADER)
        if args.rows is not None and block_of(text, data):
            block = merge_rows(block_of(text, data), block, data)
        write_text(out, merge(text, data, block, "##").rstrip("\n") + "\n")
        if readme is not None and readme.exists():
            write_text(readme, merge_readme(readme.read_text(), data, block))
        print(f"\n## {data}\n\n{block}", flush=True)


def write_text(path, text):
    """Replace ``path`` atomically (temp file, then rename): an interrupted run never leaves half a README."""
    with atomic_write(path, "w") as f:
        f.write(text)


def parse_pairs(pairs):
    """["pacgan4=3", ...] → {"pacgan4": 3}."""
    out = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key not in {r[0] for r in RUNS} or not value.isdigit() or int(value) < 1:
            raise SystemExit(f"results_table: got {pair!r}, expected KEY=N with KEY one of "
                             f"{sorted({r[0] for r in RUNS})} and N a positive integer")
        out[key] = int(value)
    return out


if __name__ == "__main__":
    main()
